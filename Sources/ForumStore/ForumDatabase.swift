import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// One forum's SQLite file: a WAL-mode `DatabasePool` with foreign keys on, migrated to the
/// current schema. The file is created readable by its owner only (0600).
public final class ForumDatabase: Sendable {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    public init(path: String) throws {
        self.path = path
        try Self.createPrivateFile(at: path)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // Every commit reaches the disk before it is acknowledged.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try ForumSchema.migrator.migrate(pool)
    }

    /// Identifiers of the migrations applied to the file, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await pool.read { db in try ForumSchema.migrator.appliedMigrations(db) }
    }

    /// Closes the file; later calls fail.
    public func close() throws {
        try pool.close()
    }

    private static func createPrivateFile(at path: String) throws {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        _ = Glibc.close(descriptor)
    }
}
