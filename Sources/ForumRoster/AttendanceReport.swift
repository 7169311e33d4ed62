import ForumDomain
import ForumWorkbook
import Foundation

/// The organisers' attendance reports as tables, for CSV or a workbook (`ExportFormat`): who
/// arrived when and where, attendance per session, no-shows by region.
public enum AttendanceReport: String, Sendable, CaseIterable {
    case arrivals
    case sessions
    case noShows = "no-shows"

    /// The file name a download suggests.
    public func fileName(_ format: ExportFormat = .csv) -> String { rawValue + "." + format.rawValue }

    /// Who arrived: each standing check-in with the person, time (Moscow), list, desk and token.
    public static func arrivals(_ rows: [(checkIn: CheckInRecord, person: DoorPerson)], lists: [String: String]) -> WorkbookTable {
        WorkbookTable(
            sheet: "Приход",
            columns: ["ID forumops", "ФИО", "Категория", "Регион", "Муниципальное образование", "Должность", "Список", "Время (МСК)", "Стойка", "Токен", "Источник"],
            rows: rows.map { checkIn, person in
                [.number(Double(person.id))]
                    + [person.fullName, person.categoryName, person.regionName, person.municipality, person.position ?? "", lists[checkIn.list] ?? checkIn.list]
                    .map(WorkbookTable.Value.text)
                    + [.moment(checkIn.scannedAt, shown: Forum.moscowTime(checkIn.scannedAt, seconds: true))]
                    + [checkIn.desk, checkIn.token ?? "", checkIn.source == "offline" ? "офлайн" : "онлайн"].map(WorkbookTable.Value.text)
            }
        )
    }

    /// Each session: seats, sign-ups, the waitlist, the people in the hall and its fill.
    public static func sessions(_ stats: ForumStats) -> WorkbookTable {
        WorkbookTable(
            sheet: "Сессии",
            columns: ["Сессия", "Код", "Начало (МСК)", "Мест", "Записаны", "Лист ожидания", "В зале", "Заполнено, %"],
            rows: stats.sessions.map { session in
                let fill = session.seats.flatMap { $0 == 0 ? nil : (Double(session.checkedIn) / Double($0)).wholePercent }
                return [.text(session.title), .text(session.slug), .moment(session.start, shown: Forum.moscowTime(session.start)),
                        session.seats.map { .number(Double($0)) } ?? .empty, .number(Double(session.signedUp)), .number(Double(session.waitlisted)),
                        .number(Double(session.checkedIn)), fill.map { .number(Double($0)) } ?? .empty]
            }
        )
    }

    /// Each region with registrations: registered, arrived, no-shows and the share that came.
    public static func noShows(_ stats: ForumStats) -> WorkbookTable {
        WorkbookTable(
            sheet: "Неявка по регионам",
            columns: ["Регион", "Код", "Зарегистрированы", "Пришли", "Не пришли", "Пришли, %"],
            rows: stats.regions.map { region in
                [.text(region.name), .text(region.code)]
                    + [region.registered, region.arrived, region.noShows, region.share.wholePercent].map { .number(Double($0)) }
            }
        )
    }
}
