import ForumDomain
import ForumFiles
import Foundation
import GRDB
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A copy of the forum made by `ForumDatabase.backup(to:)`.
public struct BackupRecord: Sendable, Equatable, Codable {
    public var madeAt: Date
    public var path: String
    public var bytes: Int64
}

extension ForumDatabase {
    /// Copies the whole forum into a new file at `path` with SQLite's online backup: it reads in
    /// one transaction, so the copy is the forum at one moment while check-ins go on being
    /// written. The copy is readable by its owner only, never written over an existing file,
    /// checked with `integrity_check` before it takes its name, and noted in the forum
    /// (`lastBackup()`). The badge key is not in it.
    public func backup(to path: String, at now: Date = Date()) async throws -> BackupRecord {
        let writer = self.writer
        let bytes = try await Task.detached(priority: .utility) { try Self.copy(writer, to: path) }.value
        // Noted with its absolute path: `forum db status` may run from another folder.
        let path = URL(fileURLWithPath: path).standardizedFileURL.path
        let record = BackupRecord(madeAt: now, path: path, bytes: bytes)
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO backup (made_at, path, bytes) VALUES (?, ?, ?)",
                arguments: [now.databaseValue, path, bytes]
            )
        }
        return record
    }

    /// The latest backup noted in this forum, if any.
    public func lastBackup() async throws -> BackupRecord? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT made_at, path, bytes FROM backup ORDER BY id DESC LIMIT 1").map { row in
                BackupRecord(madeAt: row[0], path: row[1], bytes: row[2])
            }
        }
    }

    /// Puts the forum copy at `copy` in place of the forum at `path`, which no server may have
    /// open. The copy is checked first (a forum database this forumops can open, sound by
    /// `integrity_check`); the forum it replaces is kept beside it, as a consistent copy named
    /// `<path>.before-restore-<time>`, whose path is returned (`nil` if there was none).
    public static func restore(from copy: String, to path: String, at now: Date = Date()) throws -> String? {
        let source = try checkedCopy(at: copy)
        let existing = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0
        let lock = try ServingLock(path: path)
        var kept: String?
        if existing > 0 {
            let name = "\(path).before-restore-\(BackupNames.stamp(now))"
            let current = try DatabaseQueue(path: path)
            _ = try Self.copy(current, to: name)
            try current.close()
            kept = name
        }
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        _ = try Self.copy(source, to: path)
        try source.close()
        lock.release()
        return kept
    }

    /// The copy at `path`, opened read-only once it has proved to be a sound forum database.
    private static func checkedCopy(at path: String) throws -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.unsoundCopy(path: path, reason: "файла нет") }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard check == ["ok"] else {
                    throw StoreError.unsoundCopy(path: path, reason: "повреждена (integrity_check: \(check.prefix(3).joined(separator: "; ")))")
                }
                guard try db.tableExists("grdb_migrations"), try db.tableExists("participant") else {
                    throw StoreError.unsoundCopy(path: path, reason: "это не база forumops")
                }
                let unknown = try ForumSchema.unknownMigrations(db)
                guard unknown.isEmpty else { throw StoreError.newerSchema(path: path, unknown: unknown) }
            }
            return queue
        } catch let error as DatabaseError {
            throw StoreError.unsoundCopy(path: path, reason: "не читается как база SQLite (\(error.message ?? "\(error)"))")
        }
    }

    /// SQLite's backup of `source` into a new private file at `path` in rollback-journal mode,
    /// checked; returns its size.
    /// On any failure nothing is left at `path`.
    private static func copy(_ source: any DatabaseReader, to path: String) throws -> Int64 {
        let partial = path + ".partial"
        do {
            try PrivateFiles.createNew(at: partial).close()
        } catch {
            throw StoreError.cannotOpen(path: partial, reason: (error as? PrivateFiles.Failure)?.reason ?? "\(error)")
        }
        do {
            let destination = try DatabaseQueue(path: partial)
            try source.backup(to: destination)
            // One self-contained file (no -wal beside it, however it is later opened or carried).
            try destination.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            let check = try destination.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            try destination.close()
            guard check == ["ok"] else { throw StoreError.unsoundCopy(path: partial, reason: check.prefix(3).joined(separator: "; ")) }
            // link() never replaces a file that is there; a rename would.
            guard link(partial, path) == 0 else {
                throw StoreError.cannotOpen(path: path, reason: errno == EEXIST ? "файл уже существует" : String(cString: strerror(errno)))
            }
            unlink(partial)
            PrivateFiles.synchronizeFolder(of: path)
        } catch {
            unlink(partial)
            throw StoreError(refusal: error) ?? error
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.int64Value ?? 0
    }
}

/// Names of backup files: `forum-20270115-093000.sqlite` (Moscow time), which sort by age.
public enum BackupNames {
    public static let prefix = "forum-"
    public static let suffix = ".sqlite"

    public static func name(at date: Date) -> String { prefix + stamp(date) + suffix }

    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Forum.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d-%02d%02d%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
    }

    /// Whether `file` is a name `name(at:)` gives.
    public static func isBackup(_ file: String) -> Bool {
        file.hasPrefix(prefix) && file.hasSuffix(suffix) && file.count == prefix.count + 15 + suffix.count
    }
}

/// `forum serve`'s hold on its database file: an `flock` that the system releases when the
/// process ends, even by SIGKILL. A second server and `forum restore` find the forum in use.
/// Release it only after the database is closed (closing a descriptor of the file drops the
/// process's SQLite locks on it).
public final class ServingLock: Sendable {
    private let descriptor: Mutex<Int32>

    public init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw StoreError.inUse(path: path)
        }
        self.descriptor = Mutex(descriptor)
    }

    /// Lets go of the file (the process's end does it too).
    public func release() {
        descriptor.withLock { descriptor in
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
        }
    }

    deinit { release() }
}
