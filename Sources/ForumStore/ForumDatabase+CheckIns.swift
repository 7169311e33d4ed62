import Foundation
import ForumDomain
import GRDB

/// A scan as a desk sends it.
public struct CheckInRequest: Sendable, Hashable {
    /// The credential the badge's code carried, already verified; `nil` for a code that did not
    /// verify (and no `participantID`).
    public var credential: BadgeCredential?
    /// Checked in by picking a person at the desk instead of scanning.
    public var participantID: Int64?
    public var list: String
    public var desk: String
    /// The desk's id for this scan: the same nonce twice is the same scan.
    public var nonce: String
    public var scannedAt: Date?
    public var offline: Bool
    /// The token that sent the scan, kept in the trail.
    public var token: APIToken?
    /// An offline desk's time for the scan that was not believed (`scannedAt` is then `nil`).
    public var claimedScannedAt: Date?
    /// Whether the server could check a badge code at all (it has a signing key).
    public var canVerify: Bool

    public init(
        credential: BadgeCredential?, participantID: Int64? = nil, list: String, desk: String, nonce: String, scannedAt: Date? = nil,
        offline: Bool = false, claimedScannedAt: Date? = nil, token: APIToken? = nil, canVerify: Bool = true
    ) {
        self.claimedScannedAt = claimedScannedAt
        self.token = token
        self.canVerify = canVerify
        self.credential = credential
        self.participantID = participantID
        self.list = list
        self.desk = desk
        self.nonce = nonce
        self.scannedAt = scannedAt
        self.offline = offline
    }
}

/// The door's answer: the kept record, who it is, and for `already_checked_in` the first time.
public struct CheckInAnswer: Sendable {
    public var record: CheckInRecord
    public var participant: Participant?
    public var first: CheckInRecord?
    /// The nonce was seen before: this is the stored answer, nothing new was written.
    public var replayed: Bool
}

extension ForumDatabase {
    /// Decides a scan and keeps it, refusals too, with indexed lookups: the same nonce gives the
    /// same answer and one row, and one badge scanned at two desks at once gets exactly one
    /// `ok` (a unique index holds it too). Scans that arrive together are written in one
    /// immediate transaction — group commit — and each is answered only after that commit is
    /// on disk (synchronous=FULL): one fsync serves many desks.
    public func checkIn(_ request: CheckInRequest, at now: Date = Date()) async throws -> CheckInAnswer {
        try await checkInGroup.submit(request, at: now)
    }

    /// One scan inside a group's transaction; `lists` keeps the lists the group has read (scans
    /// do not change them).
    static func decide(_ request: CheckInRequest, at now: Date, lists: inout [String: CheckInList], in db: Database) throws -> CheckInAnswer {
        if let stored = try CheckInRecords.find(nonce: request.nonce, in: db) {
            let participant = try stored.participantID.flatMap { try ParticipantRecord.fetchOne(db, id: $0) }
            return CheckInAnswer(record: stored, participant: participant, first: try first(stored, in: db), replayed: true)
        }
        let list = try lists[request.list] ?? CheckInLists.find(request.list, in: db)
        lists[request.list] = list
        let participantID = request.participantID ?? request.credential?.participantID
        let participant = try participantID.flatMap { try ParticipantRecord.fetchOne(db, id: $0) }
        let credential = request.credential ?? participant.map { BadgeCredential(participantID: $0.id, serial: $0.badgeSerial) }
        let earlier = try participant.flatMap { try CheckInRecords.standing(participant: $0.id, list: list.slug, in: db) }
        let seated = try list.session.map { session in
            try participant.map { try EnrollmentRecord.isSeated(participant: $0.id, session: session, in: db) } ?? false
        } ?? false
        let admitted = list.capacity == nil ? 0 : try CheckInRecords.admitted(list: list.slug, in: db)
        // A scan decided now is judged by the server's clock; one a desk decided offline, by
        // the moment it was scanned (the desk's clock).
        let facts = CheckInFacts(
            credential: credential, participant: participant, list: list, now: request.offline ? request.scannedAt ?? now : now,
            alreadyIn: earlier != nil, seated: seated, admitted: admitted, canVerify: request.canVerify
        )
        let record = try CheckInRecords.insert(
            list: list.slug, participant: participant?.id, desk: request.desk, nonce: request.nonce,
            scannedAt: request.scannedAt ?? now, recordedAt: now, result: facts.result, offline: request.offline,
            claimedScannedAt: request.claimedScannedAt, token: request.token, repeatable: list.repeatable, in: db
        )
        return CheckInAnswer(record: record, participant: participant, first: facts.result == .alreadyCheckedIn ? earlier : nil, replayed: false)
    }

    /// Annuls a check-in (a mistake at the door); it stays in the audit trail with the reason and
    /// who annulled it: the token, or (`nil`) the command line of `user`.
    public func annulCheckIn(id: Int64, reason: String, by token: APIToken?, user: String = "", at now: Date = Date()) async throws -> CheckInRecord {
        guard let reason = try PlainText.line(reason, field: "reason", maximumLength: 500) else {
            throw ValidationFailure([FieldError(field: "reason", message: "укажите причину аннулирования")])
        }
        return try await writer.write { db in
            guard let record = try CheckInRecords.find(id: id, in: db) else { throw StoreError.notFound(.checkIn, id: id) }
            guard record.annulledAt == nil else { return record }
            try db.execute(
                sql: "UPDATE checkin SET annulled_at = ?, annul_reason = ?, annulled_by = ?, annulled_by_name = ? WHERE id = ?",
                arguments: [now, reason, token?.id, token?.name ?? "командная строка" + (user.isEmpty ? "" : " (\(user))"), id]
            )
            return try CheckInRecords.find(id: id, in: db)!
        }
    }

    /// The audit trail: scans of a participant and/or at a list, newest first.
    public func checkIns(participant: Int64? = nil, list: String? = nil, limit: Int = 1000) async throws -> [CheckInRecord] {
        try await writer.read { db in try CheckInRecords.all(participant: participant, list: list, limit: limit, in: db) }
    }

    /// The entrance and a list per session of the draft, with their hours and hand openings.
    public func checkInLists() async throws -> [CheckInList] {
        try await writer.read { db in try CheckInLists.all(programme: try ProgrammeRecord.load(db), in: db) }
    }

    /// Opens a list by hand until `until` (a rehearsal, a day that moved).
    public func openCheckInList(_ slug: String, until: Date) async throws -> CheckInList {
        try await writer.write { db in
            _ = try CheckInLists.find(slug, in: db)
            try db.execute(sql: """
                INSERT INTO checkin_list_setting (slug, open_until) VALUES (?, ?) ON CONFLICT (slug) DO UPDATE SET open_until = excluded.open_until
                """, arguments: [slug, until])
            return try CheckInLists.find(slug, in: db)
        }
    }

    /// Admits only these categories through the list; an empty set admits everyone again.
    public func restrictCheckInList(_ slug: String, to categories: Set<ParticipantCategory>) async throws -> CheckInList {
        try await writer.write { db in
            _ = try CheckInLists.find(slug, in: db)
            try CheckInLists.setCategories(categories, of: slug, in: db)
            return try CheckInLists.find(slug, in: db)
        }
    }

    /// How many standing check-ins a list has.
    public func admittedCount(list: String) async throws -> Int {
        try await writer.read { db in try CheckInRecords.admitted(list: list, in: db) }
    }

    private static func first(_ record: CheckInRecord, in db: Database) throws -> CheckInRecord? {
        guard record.result == .alreadyCheckedIn, let participant = record.participantID else { return nil }
        return try CheckInRecords.standing(participant: participant, list: record.list, in: db)
    }
}

/// Check-in lists as the database defines them: the entrance from the edition's days, a hall
/// per session, each with its hand opening. One list is read through primary keys only.
enum CheckInLists {
    static func find(_ slug: String, in db: Database) throws -> CheckInList {
        let list: CheckInList
        if slug == CheckInList.entranceSlug {
            let days = try String.fetchOne(db, sql: "SELECT days FROM edition WHERE id = 1").map { try JSONCoding.decode([Edition.Day].self, from: $0) }
            list = CheckInList.entrance(days: days ?? [])
        } else if let own = try organisers(slug: slug, in: db).first {
            list = own
        } else {
            guard let (_, session) = try ProgrammeRecord.session(slug, in: db), !session.isCancelled else {
                throw StoreError.notFound(.checkInList, id: slug)
            }
            list = CheckInList.hall(session, roomCapacity: try Int.fetchOne(db, sql: "SELECT capacity FROM room WHERE slug = ?", arguments: [session.room]))
        }
        return try settings(in: db, slug: slug)[slug].map { $0.applied(to: list) } ?? list
    }

    /// The entrance and a list per session of `programme` that is not cancelled, with their hand
    /// settings.
    static func all(programme: Programme?, in db: Database) throws -> [CheckInList] {
        let lists = [CheckInList.entrance(days: programme?.edition.days ?? [])] + (try organisers(in: db)) + (programme.map { programme in
            programme.sessions.filter { !$0.isCancelled }.map { CheckInList.hall($0, roomCapacity: programme.room($0.room)?.room.capacity) }
        } ?? [])
        let settings = try settings(in: db)
        return lists.map { list in settings[list.slug].map { $0.applied(to: list) } ?? list }
    }

    /// The lists organisers made, by slug.
    static func organisers(slug: String? = nil, in db: Database) throws -> [CheckInList] {
        let sql = "SELECT slug, title, opens_at, closes_at, repeatable FROM checkin_list" + (slug == nil ? " ORDER BY opens_at, slug" : " WHERE slug = ?")
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: slug.map { [$0] } ?? []).map { row in
            CheckInList(
                slug: try row.decode(atIndex: 0), title: try row.decode(atIndex: 1),
                hours: [DateInterval(start: try row.decode(atIndex: 2), end: try row.decode(atIndex: 3))], repeatable: try row.decode(atIndex: 4)
            )
        }
    }

    /// What organisers set on a list by hand.
    struct Setting {
        var openUntil: Date?
        var categories: Set<ParticipantCategory>?

        func applied(to list: CheckInList) -> CheckInList {
            var list = list
            list.openUntil = openUntil
            list.categories = categories
            return list
        }
    }

    static func settings(in db: Database, slug: String? = nil) throws -> [String: Setting] {
        var settings: [String: Setting] = [:]
        let sql = "SELECT slug, open_until, categories FROM checkin_list_setting" + (slug == nil ? "" : " WHERE slug = ?")
        for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: slug.map { [$0] } ?? []) {
            let categories: String? = try row.decode(atIndex: 2)
            settings[try row.decode(atIndex: 0)] = Setting(
                openUntil: try row.decode(atIndex: 1),
                categories: try categories.map { text in
                    Set(try text.split(separator: ",").map { code in
                        guard let category = ParticipantCategory(rawValue: String(code)) else {
                            throw StoreError.conflict(FieldError(field: "categories", message: "в базе неизвестная категория «\(code)»"))
                        }
                        return category
                    })
                }
            )
        }
        return settings
    }
}

/// How scans are laid out in the `checkin` table: the one place that names its columns.
enum CheckInRecords {
    private static let columns = [
        "id", "list_slug", "participant_id", "desk", "nonce", "scanned_at", "recorded_at", "result", "source", "annulled_at", "annul_reason",
        "token_name", "annulled_by_name", "claimed_scanned_at",
    ]
    private static let selection = "SELECT " + columns.joined(separator: ", ") + " FROM checkin"

    /// The columns for a join, each prefixed with `alias`.
    static func qualifiedSelection(_ alias: String) -> String {
        columns.map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    /// The record in the row's columns from `offset` on.
    static func decode(_ row: Row, from offset: Int = 0) throws -> CheckInRecord {
        func value<Value: DatabaseValueConvertible>(_ index: Int) throws -> Value { try row.decode(atIndex: offset + index) }
        return CheckInRecord(
            id: try value(0), list: try value(1), participantID: try value(2), desk: try value(3), nonce: try value(4),
            scannedAt: try value(5), recordedAt: try value(6), result: try value(7), source: try value(8),
            annulledAt: try value(9), annulReason: try value(10), token: try value(11), annulledBy: try value(12),
            claimedScannedAt: try value(13)
        )
    }

    private static func fetchOne(_ db: Database, _ tail: String, _ arguments: StatementArguments) throws -> CheckInRecord? {
        try Row.fetchOne(db.cachedStatement(sql: selection + " " + tail), arguments: arguments).map { try decode($0) }
    }

    static func find(nonce: String, in db: Database) throws -> CheckInRecord? {
        try fetchOne(db, "WHERE nonce = ?", [nonce])
    }

    static func find(id: Int64, in db: Database) throws -> CheckInRecord? {
        try fetchOne(db, "WHERE id = ?", [id])
    }

    /// The first standing `ok` of a participant at a list (the unique index allows one, unless
    /// the list admits many times).
    static func standing(participant: Int64, list: String, in db: Database) throws -> CheckInRecord? {
        try fetchOne(db, "WHERE participant_id = ? AND list_slug = ? AND result = 'ok' AND annulled_at IS NULL ORDER BY id LIMIT 1", [participant, list])
    }

    static func admitted(list: String, in db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM checkin WHERE list_slug = ? AND result = 'ok' AND annulled_at IS NULL"), arguments: [list]) ?? 0
    }

    static func all(participant: Int64?, list: String?, limit: Int, in db: Database) throws -> [CheckInRecord] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let participant { conditions.append("participant_id = ?"); _ = arguments.append(contentsOf: [participant]) }
        if let list { conditions.append("list_slug = ?"); _ = arguments.append(contentsOf: [list]) }
        _ = arguments.append(contentsOf: [limit])
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try Row.fetchAll(db, sql: selection + " \(filter) ORDER BY id DESC LIMIT ?", arguments: arguments).map { try decode($0) }
    }

    static func insert(
        list: String, participant: Int64?, desk: String, nonce: String, scannedAt: Date, recordedAt: Date,
        result: CheckInResult, offline: Bool, claimedScannedAt: Date?, token: APIToken?, repeatable: Bool, in db: Database
    ) throws -> CheckInRecord {
        try db.cachedStatement(sql: """
            INSERT INTO checkin (list_slug, participant_id, desk, nonce, scanned_at, recorded_at, result, source, token_id, token_name, claimed_scanned_at, repeatable)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                list, participant, desk, nonce, StoredDate.value(scannedAt), StoredDate.value(recordedAt), result.rawValue, offline ? "offline" : "online",
                token?.id, token?.name, claimedScannedAt.map(StoredDate.value), repeatable,
            ])
        return CheckInRecord(
            id: db.lastInsertedRowID, list: list, participantID: participant, desk: desk, nonce: nonce, scannedAt: scannedAt,
            recordedAt: recordedAt, result: result, source: offline ? "offline" : "online", token: token?.name, claimedScannedAt: claimedScannedAt
        )
    }
}

extension CheckInResult: DatabaseValueConvertible {}

/// One match of the desk's lookup, read from its row only as far as the caller needs: a
/// caller that kept what it made of a person at this revision (or of this check-in) reads
/// nothing more. Valid only inside the call it is given to.
public struct DeskRow {
    let row: Row
    static let personColumns = "p.id, p.revision, p.last_name, p.first_name, p.patronymic, p.category, p.region_code, p.municipality, p.position, p.status, p.badge_serial"
    static let checkInOffset = 11

    public var id: Int64 { row[0] }
    /// Changes whenever the person does.
    public var revision: Int64 { row[1] }

    public func person() throws -> DoorPerson {
        DoorPerson(
            id: id, lastName: try row.decode(atIndex: 2), firstName: try row.decode(atIndex: 3), patronymic: try row.decode(atIndex: 4),
            category: try row.decode(atIndex: 5), regionCode: try row.decode(atIndex: 6), municipality: try row.decode(atIndex: 7),
            position: try row.decode(atIndex: 8), status: try row.decode(atIndex: 9), badgeSerial: try row.decode(atIndex: 10)
        )
    }

    public func status() throws -> ParticipantStatus { try row.decode(atIndex: 9) }

    /// The id of the person's standing check-in at the list, if they are in.
    public var checkInID: Int64? { row[Self.checkInOffset] }

    public func checkIn() throws -> CheckInRecord {
        try CheckInRecords.decode(row, from: Self.checkInOffset)
    }
}

extension ForumDatabase {
    /// People whose surname starts with `prefix` (case and `ё` aside), with their standing
    /// check-in at `list`, each made into what the caller needs, and how many match in all: the
    /// desk's lookup for a lost or unreadable badge. Two indexed queries.
    public func deskSearch<Match: Sendable>(
        _ prefix: String, list: String, limit: Int = 10, _ make: @escaping @Sendable (DeskRow) throws -> Match
    ) async throws -> (items: [Match], total: Int) {
        let key = RussianText.searchKey(prefix)
        guard !key.isEmpty else { return ([], 0) }
        return try await writer.read { db in
            let sql = """
                SELECT \(DeskRow.personColumns), \(CheckInRecords.qualifiedSelection("c")) FROM participant p
                LEFT JOIN checkin c ON c.id = (
                    SELECT min(id) FROM checkin WHERE participant_id = p.id AND list_slug = ?1 AND result = 'ok' AND annulled_at IS NULL
                )
                WHERE p.last_name_key >= ?2 AND p.last_name_key < ?3 ORDER BY p.last_name_key, p.first_name, p.id LIMIT ?4
                """
            let items = try Array(Row.fetchCursor(db.cachedStatement(sql: sql), arguments: [list, key, key + "\u{10FFFF}", limit]).map { row in
                try make(DeskRow(row: row))
            })
            let total = items.count < limit ? items.count : try Int.fetchOne(db.cachedStatement(sql: """
                SELECT count(*) FROM participant WHERE last_name_key >= ? AND last_name_key < ?
                """), arguments: [key, key + "\u{10FFFF}"]) ?? items.count
            return (items, total)
        }
    }
}
