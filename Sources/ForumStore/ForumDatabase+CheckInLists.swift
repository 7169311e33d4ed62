import ForumDomain
import Foundation
import GRDB

/// What an organiser says about a list of their own: `nil` leaves a value as it is.
public struct CheckInListChange: Sendable {
    public var title: String?
    public var opens: Date?
    public var closes: Date?
    /// `.some(nil)` admits every category again.
    public var categories: Set<ParticipantCategory>??
    public var repeatable: Bool?

    public init(title: String? = nil, opens: Date? = nil, closes: Date? = nil, categories: Set<ParticipantCategory>?? = nil, repeatable: Bool? = nil) {
        self.title = title
        self.opens = opens
        self.closes = closes
        self.categories = categories
        self.repeatable = repeatable
    }
}

extension ForumDatabase {
    /// Adds a list of the organisers' own — lunch, the transfer buses, badge pick-up — open from
    /// `opens` to `closes`, for `categories` (all if `nil`), admitting each person once or, if
    /// `repeatable`, every time. The slug must be free: not `entrance`, a session's or another list's.
    public func addCheckInList(_ slug: String, title: String, opens: Date, closes: Date, categories: Set<ParticipantCategory>?, repeatable: Bool) async throws -> CheckInList {
        if let problem = Slug.problem(slug) { throw ValidationFailure([FieldError(field: "slug", message: problem)]) }
        guard let title = try PlainText.line(title, field: "title", maximumLength: 200), !title.isEmpty else {
            throw ValidationFailure([FieldError(field: "title", message: "укажите название списка")])
        }
        try Self.checkHours(opens, closes)
        return try await writer.write { db in
            let taken = slug == CheckInList.entranceSlug ? "вход на форум"
                : try ProgrammeRecord.session(slug, in: db).map { "сессия «\($0.session.title)»" }
                ?? (try CheckInLists.organisers(slug: slug, in: db).first.map { "список «\($0.title)»" })
            if let taken { throw StoreError.conflict(FieldError(field: "slug", message: "«\(slug)» уже занят: \(taken)")) }
            try db.execute(
                sql: "INSERT INTO checkin_list (slug, title, opens_at, closes_at, repeatable) VALUES (?, ?, ?, ?, ?)",
                arguments: [slug, title, opens, closes, repeatable]
            )
            try CheckInLists.setCategories(categories, of: slug, in: db)
            return try CheckInLists.find(slug, in: db)
        }
    }

    /// Changes a list of the organisers' own.
    public func editCheckInList(_ slug: String, _ change: CheckInListChange) async throws -> CheckInList {
        let title = try PlainText.line(change.title, field: "title", maximumLength: 200)
        if title?.isEmpty == true { throw ValidationFailure([FieldError(field: "title", message: "название не может быть пустым")]) }
        return try await writer.write { db in
            guard let list = try CheckInLists.organisers(slug: slug, in: db).first, let hours = list.hours.first else {
                throw Self.notOrganisers(slug, in: db)
            }
            try Self.checkHours(change.opens ?? hours.start, change.closes ?? hours.end)
            try db.execute(
                sql: "UPDATE checkin_list SET title = ?, opens_at = ?, closes_at = ?, repeatable = ? WHERE slug = ?",
                arguments: [title ?? list.title, change.opens ?? hours.start, change.closes ?? hours.end, change.repeatable ?? list.repeatable, slug]
            )
            if let categories = change.categories { try CheckInLists.setCategories(categories, of: slug, in: db) }
            return try CheckInLists.find(slug, in: db)
        }
    }

    /// Removes a list of the organisers' own that has no scans yet; one with scans keeps its
    /// trail — close it instead (`editCheckInList` with `closes`).
    public func removeCheckInList(_ slug: String) async throws {
        try await writer.write { db in
            guard try CheckInLists.organisers(slug: slug, in: db).first != nil else { throw Self.notOrganisers(slug, in: db) }
            let scans = try Int.fetchOne(db, sql: "SELECT count(*) FROM checkin WHERE list_slug = ?", arguments: [slug]) ?? 0
            guard scans == 0 else {
                throw StoreError.conflict(FieldError(
                    field: "slug", message: "по списку «\(slug)» уже \(scans) отметок: он остаётся в журнале; закройте его (forum checkins lists edit \(slug) --until …)"
                ))
            }
            try db.execute(sql: "DELETE FROM checkin_list WHERE slug = ?; DELETE FROM checkin_list_setting WHERE slug = ?", arguments: [slug, slug])
        }
    }

    private static func checkHours(_ opens: Date, _ closes: Date) throws(ValidationFailure) {
        guard opens < closes else { throw ValidationFailure([FieldError(field: "until", message: "список закрывается раньше, чем открывается")]) }
        guard closes.timeIntervalSince(opens) <= 31 * 24 * 3600 else {
            throw ValidationFailure([FieldError(field: "until", message: "список открыт дольше 31 дня — проверьте даты")])
        }
    }

    /// The entrance and the halls follow the programme: only the organisers' own lists change here.
    private static func notOrganisers(_ slug: String, in db: Database) -> Error {
        if slug == CheckInList.entranceSlug || ((try? ProgrammeRecord.session(slug, in: db)) ?? nil) != nil {
            return StoreError.conflict(FieldError(
                field: "slug", message: "«\(slug)» следует программе: его часы — из программы, категории — forum checkins restrict, открыть вручную — forum checkins open"
            ))
        }
        return StoreError.notFound(.checkInList, id: slug)
    }
}

extension CheckInLists {
    /// Sets the categories a list admits (`nil`: all), keeping its hand opening.
    static func setCategories(_ categories: Set<ParticipantCategory>?, of slug: String, in db: Database) throws {
        let text = categories.flatMap { $0.isEmpty ? nil : $0.map(\.rawValue).sorted().joined(separator: ",") }
        try db.execute(sql: """
            INSERT INTO checkin_list_setting (slug, categories) VALUES (?, ?) ON CONFLICT (slug) DO UPDATE SET categories = excluded.categories
            """, arguments: [slug, text])
    }
}
