import ForumDomain
import Foundation

/// The organisers' attendance reports as CSV for Russian Excel (as `RosterWriter` writes
/// rosters): who arrived when and where, attendance per session, no-shows by region.
public enum AttendanceReport: String, Sendable, CaseIterable {
    case arrivals
    case sessions
    case noShows = "no-shows"

    /// The file name a download suggests.
    public var fileName: String { rawValue + ".csv" }

    /// Who arrived: each standing check-in with the person, time (Moscow), list, desk and token.
    public static func arrivals(_ rows: [(checkIn: CheckInRecord, person: DoorPerson)], lists: [String: String]) throws -> Data {
        try RosterWriter.csv(
            columns: ["ID forumops", "ФИО", "Категория", "Регион", "Муниципальное образование", "Должность", "Список", "Время (МСК)", "Стойка", "Токен", "Источник"],
            rows: rows.map { checkIn, person in
                [String(person.id), person.fullName, person.categoryName, person.regionName, person.municipality, person.position ?? "",
                 lists[checkIn.list] ?? checkIn.list, Forum.moscowTime(checkIn.scannedAt, seconds: true), checkIn.desk, checkIn.token ?? "",
                 checkIn.source == "offline" ? "офлайн" : "онлайн"]
            }
        )
    }

    /// Each session: seats, sign-ups, the waitlist, the people in the hall and its fill.
    public static func sessions(_ stats: ForumStats) throws -> Data {
        try RosterWriter.csv(
            columns: ["Сессия", "Код", "Начало (МСК)", "Мест", "Записаны", "Лист ожидания", "В зале", "Заполнено, %"],
            rows: stats.sessions.map { session in
                [session.title, session.slug, Forum.moscowTime(session.start), session.seats.map(String.init) ?? "", String(session.signedUp),
                 String(session.waitlisted), String(session.checkedIn), session.seats.map { $0 == 0 ? "" : String((Double(session.checkedIn) / Double($0)).wholePercent) } ?? ""]
            }
        )
    }

    /// Each region with registrations: registered, arrived, no-shows and the share that came.
    public static func noShows(_ stats: ForumStats) throws -> Data {
        try RosterWriter.csv(
            columns: ["Регион", "Код", "Зарегистрированы", "Пришли", "Не пришли", "Пришли, %"],
            rows: stats.regions.map { region in
                [region.name, region.code, String(region.registered), String(region.arrived), String(region.noShows), String(region.share.wholePercent)]
            }
        )
    }
}
