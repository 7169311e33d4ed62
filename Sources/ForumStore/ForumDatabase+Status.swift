import Foundation
import GRDB

/// What `forum db status` shows: the schema, the file, what is in it and the last backup.
public struct DatabaseStatus: Sendable, Codable, Equatable {
    public var path: String
    /// The migrations applied, oldest first; the last one is the schema's version.
    public var migrations: [String]
    /// How many migrations this forumops knows (all applied when equal to `migrations.count`).
    public var knownMigrations: Int
    public var bytes: Int64
    /// The write-ahead log beside the file, folded into it at checkpoints.
    public var walBytes: Int64
    public var registered: Int
    public var cancelled: Int
    public var sessions: Int
    public var checkIns: Int
    public var liveTokens: Int
    public var lastBackup: BackupRecord?
}

extension ForumDatabase {
    /// The migrations this forumops would apply to the forum file at `path` (all of them for a
    /// new file), without opening it for writing; a file from a newer forumops is refused.
    public static func pendingMigrations(path: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return ForumSchema.migrator.migrations }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            return try DatabaseQueue(path: path, configuration: configuration).read { db in
                let unknown = try ForumSchema.unknownMigrations(db)
                guard unknown.isEmpty else { throw StoreError.newerSchema(path: path, unknown: unknown) }
                let applied = try ForumSchema.migrator.appliedIdentifiers(db)
                return ForumSchema.migrator.migrations.filter { !applied.contains($0) }
            }
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        }
    }

    /// The forum's schema, file sizes, counts and last backup.
    public func status() async throws -> DatabaseStatus {
        let path = self.path ?? ":memory:"
        func size(_ file: String) -> Int64 {
            ((try? FileManager.default.attributesOfItem(atPath: file)[.size]) as? NSNumber)?.int64Value ?? 0
        }
        let (bytes, walBytes) = (size(path), size(path + "-wal"))
        let lastBackup = try await self.lastBackup()
        return try await writer.read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            return DatabaseStatus(
                path: path,
                migrations: try ForumSchema.migrator.appliedMigrations(db),
                knownMigrations: ForumSchema.migrator.migrations.count,
                bytes: bytes, walBytes: walBytes,
                registered: try count("SELECT count(*) FROM participant WHERE status = 'registered'"),
                cancelled: try count("SELECT count(*) FROM participant WHERE status = 'cancelled'"),
                sessions: try count("SELECT count(*) FROM session"),
                checkIns: try count("SELECT count(*) FROM checkin"),
                liveTokens: try count("SELECT count(*) FROM api_token WHERE revoked_at IS NULL"),
                lastBackup: lastBackup
            )
        }
    }
}
