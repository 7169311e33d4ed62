import ForumDomain
import ForumFiles
import Foundation
import GRDB

/// One forum's data over any GRDB writer: a WAL `DatabasePool` on the forum's file
/// (`ForumDatabase.open(path:)`), or an in-memory `DatabaseQueue` for tests and caches. The
/// schema is migrated on creation. Nothing above this module sees SQL.
public final class ForumDatabase: Sendable {
    let writer: any DatabaseWriter
    /// Live API tokens by the hash of their secret, so that authenticating a request reads no file.
    let liveTokens = TokenDirectory()
    /// Scans waiting to be written together.
    let checkInGroup: CommitGroup<CheckInRequest, CheckInAnswer, [String: CheckInList]>
    /// Sign-ups waiting to be written together (the opening of sign-up).
    let signUpGroup: CommitGroup<SignUpRequest, (enrollment: Enrollment, created: Bool), Void>

    /// Wraps `writer`, applies pending migrations and loads the live tokens; refuses a file that
    /// a newer forumops migrated (`StoreError.newerSchema`).
    public init(writer: any DatabaseWriter) throws {
        self.writer = writer
        checkInGroup = CommitGroup(writer: writer, scratch: { [:] }) { request, now, lists, db in
            try ForumDatabase.decide(request, at: now, lists: &lists, in: db)
        }
        signUpGroup = CommitGroup(writer: writer, scratch: {}) { request, now, _, db in
            try ForumDatabase.signUp(participant: request.participant, in: request.session, at: now, in: db)
        }
        let unknown = try writer.read { db in try ForumSchema.unknownMigrations(db) }
        // A newer forumops migrated this file: applying ours around theirs would corrupt it.
        guard unknown.isEmpty else { throw StoreError.newerSchema(path: writer.path, unknown: unknown) }
        try ForumSchema.migrator.migrate(writer)
        try writer.read { db in try liveTokens.replace(with: TokenRecord.live(in: db)) }
    }

    /// Opens (creating if needed, readable by its owner only) the forum file at `path`: WAL,
    /// foreign keys on, and every commit on disk before it is acknowledged (`synchronous=FULL`).
    public static func open(path: String) throws -> ForumDatabase {
        try createPrivateFile(at: path)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration())
            // The one writing connection keeps up to 16 MiB of pages (SQLite's default is 2 MiB): a
            // roster import of 7,500 people then commits without spilling pages mid-transaction
            // (`forum-bench import`: register 365 → 344 ms). Readers keep the default.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -16384") }
            return try ForumDatabase(writer: pool)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: explanation(of: error))
        }
    }

    /// What a person can do about SQLite's refusal, then SQLite's own words.
    private static func explanation(of error: DatabaseError) -> String {
        let words = error.message ?? "\(error)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return "база занята другим процессом (\(words)): остановите его — например, второй forum serve — и запустите снова"
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
            return "файл или его папка недоступны для записи (\(words)): проверьте права и свободное место"
        case .SQLITE_FULL:
            return "на диске нет места (\(words))"
        default:
            return words
        }
    }

    /// An empty forum in memory, gone when the value is.
    public static func inMemory() throws -> ForumDatabase {
        try ForumDatabase(writer: DatabaseQueue(configuration: configuration()))
    }

    /// The settings every forum connection uses; `prepare` adds to them (tests trace statements).
    public static func configuration(prepare: (@Sendable (Database) throws -> Void)? = nil) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try prepare?(db)
        }
        return configuration
    }

    /// The file's path, or `nil` in memory.
    public var path: String? {
        writer.path == ":memory:" || writer.path.isEmpty ? nil : writer.path
    }

    /// Identifiers of the migrations applied, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await writer.read { db in try ForumSchema.migrator.appliedMigrations(db) }
    }

    /// The forum's own identity, made once with the database and signed into every badge
    /// (`BadgeSigner.edition`): another forum, another database, another identity.
    public func editionIdentity() throws -> String {
        try writer.read { db in
            guard let edition = try String.fetchOne(db, sql: "SELECT edition FROM forum_identity WHERE id = 1") else {
                throw StoreError.cannotOpen(path: path ?? ":memory:", reason: "в базе нет идентификатора форума")
            }
            return edition
        }
    }

    /// Closes the database; later calls fail.
    public func close() throws {
        try writer.close()
    }

    private static func createPrivateFile(at path: String) throws {
        do {
            try PrivateFiles.create(at: path)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: error.reason)
        }
    }
}
