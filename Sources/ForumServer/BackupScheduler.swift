import ForumDomain
import ForumStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// When `forum serve` backs the forum up by itself: every `every`, into `folder`, keeping the
/// latest `keep` copies (settings `backup.every` in minutes, `backup.folder`, `backup.keep`).
public struct BackupSchedule: Sendable, Equatable {
    public var every: Duration
    public var folder: String
    public var keep: Int

    public init(every: Duration, folder: String, keep: Int) {
        self.every = every
        self.folder = folder
        self.keep = keep
    }
}

/// Makes the scheduled backups while the server runs, removes the oldest beyond `keep`, and
/// remembers the last one (and the last failure) for the log and `/healthz`. A failed backup is
/// logged as an error and tried again at the next turn; the server goes on serving.
public final class BackupScheduler: Service, Sendable {
    let database: ForumDatabase
    let schedule: BackupSchedule
    let logger: Logger
    private let state = Mutex<(last: BackupRecord?, failure: String?)>((nil, nil))

    public init(database: ForumDatabase, schedule: BackupSchedule, logger: Logger) {
        self.database = database
        self.schedule = schedule
        self.logger = logger
    }

    /// The last backup made (by this server or noted in the forum), and why the latest attempt
    /// failed if it did.
    public var status: (last: BackupRecord?, failure: String?) { state.withLock { $0 } }

    public func run() async throws {
        let last = try? await database.lastBackup()
        state.withLock { $0.last = last }
        logger.info("scheduled backups on", metadata: [
            "every": "\(schedule.every)", "folder": "\(schedule.folder)", "keep": "\(schedule.keep)",
            "last": "\(last.map { ISO8601DateFormatter().string(from: $0.madeAt) } ?? "-")",
        ])
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: self.schedule.every)
                await self.backUp()
            }
        }
    }

    /// One backup now, then the rotation.
    public func backUp(at now: Date = Date()) async {
        do {
            try FileManager.default.createDirectory(atPath: schedule.folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let path = (schedule.folder as NSString).appendingPathComponent(BackupNames.name(at: now))
            let record = try await database.backup(to: path, at: now)
            state.withLock { $0 = (record, nil) }
            let removed = try rotate()
            logger.info("backup made", metadata: ["path": "\(record.path)", "bytes": "\(record.bytes)", "removed": "\(removed)"])
        } catch {
            let reason = (error as? StoreError)?.description ?? "\(error)"
            state.withLock { $0.failure = reason }
            logger.error("backup failed", metadata: ["folder": "\(schedule.folder)", "reason": "\(reason)"])
        }
    }

    /// Removes the oldest backups beyond `keep`; returns how many. Only files named as backups are touched.
    private func rotate() throws -> Int {
        let backups = try FileManager.default.contentsOfDirectory(atPath: schedule.folder).filter(BackupNames.isBackup).sorted()
        let old = backups.dropLast(schedule.keep)
        for name in old { try FileManager.default.removeItem(atPath: (schedule.folder as NSString).appendingPathComponent(name)) }
        return old.count
    }
}
