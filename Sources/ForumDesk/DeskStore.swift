import ForumAPI
import ForumCredentials
import ForumDomain
import ForumFiles
import Foundation
import GRDB

/// The desk's own SQLite file: the server's snapshot for its list (people, sign-ups, standing
/// check-ins, the badge key) and every scan the desk answered, with those decided offline
/// waiting for upload. Each scan is committed (`synchronous=FULL`) before the desk shows its
/// answer, so a killed desk loses nothing it showed. The file is created readable by its owner only.
public final class DeskStore: Sendable {
    let queue: DatabaseQueue
    /// The file, or `nil` in memory.
    public let path: String?

    /// Opens (creating) the desk file at `path`, or an in-memory one for tests with `nil`.
    public init(path: String?) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        if let path {
            // Names of thousands of people: readable by the desk's user only (SQLite gives its
            // journal files the same mode).
            do { try PrivateFiles.create(at: path) } catch { throw DeskError.cannotOpen(path: path, reason: error.reason) }
        }
        do {
            queue = try path.map { try DatabaseQueue(path: $0, configuration: configuration) } ?? DatabaseQueue(configuration: configuration)
            if path != nil { try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") } }
            try Self.migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw DeskError.cannotOpen(path: path ?? ":memory:", reason: error.message ?? "\(error)")
        }
    }

    private static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 desk") { db in
            try db.execute(sql: """
                CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE person (
                    id INTEGER PRIMARY KEY,
                    document TEXT NOT NULL,
                    last_name_key TEXT NOT NULL
                );
                CREATE INDEX person_on_last_name_key ON person(last_name_key);
                CREATE TABLE seated (participant_id INTEGER PRIMARY KEY);
                CREATE TABLE admission (
                    participant_id INTEGER PRIMARY KEY,
                    checkin_id INTEGER NOT NULL,
                    desk TEXT NOT NULL,
                    scanned_at DATETIME NOT NULL
                );
                CREATE TABLE scan (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    nonce TEXT NOT NULL UNIQUE,
                    code TEXT,
                    participant_id INTEGER,
                    picked BOOLEAN NOT NULL,
                    list TEXT NOT NULL,
                    desk TEXT NOT NULL,
                    scanned_at DATETIME NOT NULL,
                    result TEXT NOT NULL,
                    offline BOOLEAN NOT NULL,
                    uploaded_at DATETIME,
                    server_result TEXT,
                    server_message TEXT,
                    checkin_id INTEGER
                );
                CREATE INDEX scan_on_participant ON scan(participant_id);
                CREATE INDEX scan_waiting ON scan(seq) WHERE uploaded_at IS NULL;
                """)
        }
        return migrator
    }()

    // MARK: The snapshot

    /// The list this file serves and where the copy stands (the badge key is pinned apart).
    public struct Copy: Sendable, Hashable, Codable {
        public var list: CheckInList
        public var cursor: DeskSnapshot.Cursor
    }

    /// The copy held, if the desk ever reached its server.
    public func copy() throws -> Copy? {
        try queue.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'copy'").map { try Self.decoder.decode(Copy.self, from: Data($0.utf8)) }
        }
    }

    /// The badge key the desk trusts, pinned once.
    public func pinnedKey() throws -> BadgeVerifier? {
        try queue.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'pinned-key'").map { text in
                guard let verifier = BadgeVerifier(text) else { throw DeskError.unreadable("в файле стойки нечитаемый ключ проверки бейджей") }
                return verifier
            }
        }
    }

    /// Pins `key`; a key pinned before is never replaced.
    public func pin(_ key: BadgeVerifier) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO setting (key, value) VALUES ('pinned-key', ?)", arguments: [key.description])
        }
    }

    /// Applies a snapshot: a whole one (empty cursor asked) replaces the copy, changes are merged.
    /// Written without holding a thread of the caller's while the disk syncs.
    public func apply(_ snapshot: DeskSnapshot, whole: Bool) async throws {
        try await queue.write { db in
            if whole {
                try db.execute(sql: "DELETE FROM person; DELETE FROM admission")
            }
            let person = try db.cachedStatement(sql: "INSERT OR REPLACE INTO person (id, document, last_name_key) VALUES (?, ?, ?)")
            for someone in snapshot.people {
                try person.execute(arguments: [someone.id, String(decoding: try Self.encoder.encode(someone), as: UTF8.self), RussianText.searchKey(someone.lastName)])
            }
            if let seated = snapshot.seated {
                try db.execute(sql: "DELETE FROM seated")
                let seat = try db.cachedStatement(sql: "INSERT INTO seated (participant_id) VALUES (?)")
                for id in seated { try seat.execute(arguments: [id]) }
            }
            let admission = try db.cachedStatement(sql: "INSERT OR REPLACE INTO admission (participant_id, checkin_id, desk, scanned_at) VALUES (?, ?, ?, ?)")
            for checkIn in snapshot.checkIns {
                try admission.execute(arguments: [checkIn.participantId, checkIn.id, checkIn.desk, checkIn.scannedAt])
            }
            let copy = Copy(list: snapshot.list, cursor: snapshot.cursor)
            try db.execute(
                sql: "INSERT OR REPLACE INTO setting (key, value) VALUES ('copy', ?)",
                arguments: [String(decoding: try Self.encoder.encode(copy), as: UTF8.self)]
            )
        }
    }

    /// What the desk knows about one person, to decide a scan of their badge.
    public func facts(participant id: Int64, list: CheckInList) throws -> (person: DoorPerson?, earlier: Earlier?, seated: Bool, admitted: Int) {
        try queue.read { db in
            let person = try Self.person(id, in: db)
            let seated = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM seated WHERE participant_id = ?)"), arguments: [id]) ?? false
            let admitted = list.capacity == nil ? 0 : try Self.admittedCount(in: db)
            return (person, try Self.earlier(id, in: db), seated, admitted)
        }
    }

    /// The first standing check-in the desk knows of: from the server's copy, or its own.
    public struct Earlier: Sendable, Hashable {
        public var desk: String
        public var at: Date

        public init(desk: String, at: Date) {
            self.desk = desk
            self.at = at
        }
    }

    private static func earlier(_ participant: Int64, in db: Database) throws -> Earlier? {
        if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT desk, scanned_at FROM admission WHERE participant_id = ?"), arguments: [participant]) {
            return Earlier(desk: try row.decode(atIndex: 0), at: try row.decode(atIndex: 1))
        }
        return try Row.fetchOne(db.cachedStatement(sql: """
            SELECT desk, scanned_at FROM scan WHERE participant_id = ? AND \(ownAdmission) ORDER BY seq LIMIT 1
            """), arguments: [participant]).map { Earlier(desk: try $0.decode(atIndex: 0), at: try $0.decode(atIndex: 1)) }
    }

    /// The desk's own `ok`s the copy does not hold yet: not uploaded, or kept by the server
    /// after the copy's cursor. Older ones are in `admission` — or were annulled since.
    private static let ownAdmission = """
        coalesce(server_result, result) = 'ok'
        AND (checkin_id IS NULL OR checkin_id > coalesce((SELECT json_extract(value, '$.cursor.checkIns') FROM setting WHERE key = 'copy'), 0))
        """

    private static func admittedCount(in db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: """
            SELECT count(*) FROM (SELECT participant_id FROM admission UNION SELECT participant_id FROM scan WHERE \(ownAdmission))
            """)) ?? 0
    }

    /// A person in the copy.
    public func person(_ id: Int64) throws -> DoorPerson? {
        try queue.read { db in try Self.person(id, in: db) }
    }

    private static func person(_ id: Int64, in db: Database) throws -> DoorPerson? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT document FROM person WHERE id = ?"), arguments: [id]).map { try decoder.decode(DoorPerson.self, from: Data($0.utf8)) }
    }

    /// People whose surname starts with `prefix` (case and `ё` aside), with their check-in if
    /// known, and how many match in all.
    public func search(_ prefix: String, limit: Int = 9) throws -> (matches: [DeskMatch], total: Int) {
        let key = RussianText.searchKey(prefix)
        guard !key.isEmpty else { return ([], 0) }
        return try queue.read { db in
            let matches = try String.fetchAll(db.cachedStatement(sql: """
                SELECT document FROM person WHERE last_name_key >= ? AND last_name_key < ? ORDER BY last_name_key, id LIMIT ?
                """), arguments: [key, key + "\u{10FFFF}", limit]).map { document in
                let person = try Self.decoder.decode(DoorPerson.self, from: Data(document.utf8))
                return DeskMatch(person: person, earlier: try Self.earlier(person.id, in: db))
            }
            let total = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM person WHERE last_name_key >= ? AND last_name_key < ?"), arguments: [key, key + "\u{10FFFF}"]) ?? 0
            return (matches, total)
        }
    }

    // MARK: Scans

    /// Keeps a scan the desk answered; committed to disk when this returns (the caller's thread
    /// is not held while the disk syncs).
    public func record(_ scan: DeskScan) async throws {
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO scan (nonce, code, participant_id, picked, list, desk, scanned_at, result, offline, uploaded_at, server_result, server_message, checkin_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    scan.nonce, scan.code, scan.participantID, scan.picked, scan.list, scan.desk, scan.scannedAt, scan.result.rawValue,
                    scan.offline, scan.uploadedAt, scan.serverResult?.rawValue, scan.serverMessage, scan.checkInID,
                ])
        }
    }

    /// Scans decided offline and not yet acknowledged by the server, oldest first.
    public func waiting(limit: Int = 100) throws -> [DeskScan] {
        try queue.read { db in
            try Row.fetchAll(db.cachedStatement(sql: Self.scanSelection + " WHERE uploaded_at IS NULL ORDER BY seq LIMIT ?"), arguments: [limit]).map(Self.scan)
        }
    }

    /// The server acknowledged a waiting scan with its own answer and the id it keeps it under
    /// (or refused it with a message).
    public func acknowledge(nonce: String, result: CheckInResult?, checkInID: Int64?, message: String?, at now: Date = Date()) async throws {
        try await queue.write { db in
            try db.execute(
                sql: "UPDATE scan SET uploaded_at = ?, server_result = ?, server_message = ?, checkin_id = ? WHERE nonce = ?",
                arguments: [now, result?.rawValue ?? "rejected", message, checkInID, nonce]
            )
        }
    }

    /// Puts every scan the desk holds back in the upload queue; returns how many were there.
    /// After a server is restored from a backup, the scans it acknowledged since that backup
    /// are gone from it: sent again, they are recorded once more, and those it still holds are
    /// recognised by their nonce and not doubled.
    public func queueEverythingAgain() async throws -> Int {
        try await queue.write { db in
            try db.execute(sql: "UPDATE scan SET uploaded_at = NULL WHERE uploaded_at IS NOT NULL")
            return db.changesCount
        }
    }

    /// Uploaded scans the server judged differently from the desk, newest first.
    public func disagreements(limit: Int = 5) throws -> [DeskScan] {
        try queue.read { db in
            try Row.fetchAll(db.cachedStatement(sql: Self.scanSelection + " WHERE server_result IS NOT NULL AND server_result != result ORDER BY seq DESC LIMIT ?"), arguments: [limit]).map(Self.scan)
        }
    }

    /// The scans the desk holds, oldest first (the audit of this laptop).
    public func scans() throws -> [DeskScan] {
        try queue.read { db in try Row.fetchAll(db, sql: Self.scanSelection + " ORDER BY seq").map(Self.scan) }
    }

    /// How many scans wait for the server.
    public func waitingCount() throws -> Int {
        try queue.read { db in try Self.waitingCount(in: db) }
    }

    private static func waitingCount(in db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM scan WHERE uploaded_at IS NULL")) ?? 0
    }

    /// The figures on screen: people this desk let in, the list's admitted as far as the desk
    /// knows, and scans waiting to upload.
    public func counters(desk: String) throws -> DeskCounters {
        try queue.read { db in
            DeskCounters(
                desk: try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM scan WHERE desk = ? AND coalesce(server_result, result) = 'ok'"), arguments: [desk]) ?? 0,
                list: try Self.admittedCount(in: db),
                waiting: try Self.waitingCount(in: db)
            )
        }
    }

    private static let scanSelection = "SELECT nonce, code, participant_id, picked, list, desk, scanned_at, result, offline, uploaded_at, server_result, server_message, checkin_id FROM scan"

    private static func scan(_ row: Row) throws -> DeskScan {
        let serverResult: String? = try row.decode(atIndex: 10)
        return DeskScan(
            nonce: try row.decode(atIndex: 0), code: try row.decode(atIndex: 1), participantID: try row.decode(atIndex: 2),
            picked: try row.decode(atIndex: 3), list: try row.decode(atIndex: 4), desk: try row.decode(atIndex: 5),
            scannedAt: try row.decode(atIndex: 6), result: try result(try row.decode(atIndex: 7)), offline: try row.decode(atIndex: 8),
            uploadedAt: try row.decode(atIndex: 9), serverResult: try serverResult.flatMap { $0 == "rejected" ? nil : try result($0) },
            serverMessage: try row.decode(atIndex: 11), checkInID: try row.decode(atIndex: 12)
        )
    }

    /// A stored answer this build cannot read is an error, never a default.
    private static func result(_ text: String) throws -> CheckInResult {
        guard let result = CheckInResult(rawValue: text) else { throw DeskError.unreadable("в файле стойки неизвестный ответ «\(text)»") }
        return result
    }

    static let encoder = APIJSON.encoder
    static let decoder = APIJSON.decoder
}

/// One scan as the desk keeps it: what it showed, and what the server said when it heard of it.
public struct DeskScan: Sendable, Hashable {
    public var nonce: String
    /// The badge code, or `nil` when the operator picked the person from a search.
    public var code: String?
    public var participantID: Int64?
    public var picked: Bool
    public var list: String
    public var desk: String
    public var scannedAt: Date
    /// What the desk showed.
    public var result: CheckInResult
    /// Decided by the desk itself, without the server.
    public var offline: Bool
    public var uploadedAt: Date?
    public var serverResult: CheckInResult?
    public var serverMessage: String?
    /// The id the server keeps the scan under, once it has it.
    public var checkInID: Int64? = nil

    /// Whether the server judged the scan otherwise than the desk did.
    public var isDisagreement: Bool { uploadedAt != nil && serverResult != result }
}

/// The three figures on the desk's screen.
public struct DeskCounters: Sendable, Hashable {
    public var desk: Int
    public var list: Int
    public var waiting: Int

    public init(desk: Int, list: Int, waiting: Int) {
        self.desk = desk
        self.list = list
        self.waiting = waiting
    }
}

/// A person found at the desk by surname, with their check-in at the list if the desk knows it.
public struct DeskMatch: Sendable, Hashable {
    public var person: DoorPerson
    public var earlier: DeskStore.Earlier?

    public init(person: DoorPerson, earlier: DeskStore.Earlier?) {
        self.person = person
        self.earlier = earlier
    }
}
