import ForumStore
import Foundation
import Logging
import Testing
@testable import ForumServer

@Suite struct ServerLogTests {
    /// What reached the pipe so far, without waiting for more.
    private func available(_ pipe: Pipe) -> String {
        let descriptor = pipe.fileHandleForReading.fileDescriptor
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        var bytes = [UInt8](repeating: 0, count: 1 << 16)
        let count = read(descriptor, &bytes, bytes.count)
        return count > 0 ? String(decoding: bytes.prefix(count), as: UTF8.self) : ""
    }

    @Test func informationWaitsForTheFlushAndAWarningTakesItAlong() {
        let pipe = Pipe()
        let log = ServerLog(descriptor: pipe.fileHandleForWriting.fileDescriptor)
        var logger = log.logger(label: "forumops", level: .info)
        logger[metadataKey: "hb.request.id"] = "42"
        logger.debug("not at this level")
        logger.info("request", metadata: ["status": "304", "method": "GET"])
        #expect(available(pipe) == "", "an information line waits in the buffer")

        logger.warning("database busy")
        let lines = available(pipe).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix(" info forumops: hb.request.id=42 method=GET status=304 [ForumServerTests] request"), "\(lines)")
        #expect(lines[1].contains(" warning forumops: hb.request.id=42 [ForumServerTests] database busy"))
        #expect(lines[0].wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} .*/) != nil, "swift-log's timestamp")

        logger.info("after")
        log.flush()
        #expect(available(pipe).hasSuffix("[ForumServerTests] after\n"))
        log.flush()
        #expect(available(pipe) == "", "nothing is written twice")
    }

    @Test func aFullBufferIsWrittenWithoutAFlush() {
        let pipe = Pipe()
        let log = ServerLog(descriptor: pipe.fileHandleForWriting.fileDescriptor)
        let logger = log.logger(label: "forumops", level: .info)
        let line = String(repeating: "я", count: 100)
        var written = ""
        for _ in 0..<(ServerLog.capacity / 200 + 1) {
            logger.info("\(line)")
            written += available(pipe)
        }
        #expect(written.utf8.count >= ServerLog.capacity)
    }
}

@Suite struct BackupSchedulerTests {
    @Test func scheduledBackupsRotateAndHealthSaysWhenTheLastWasMade() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("forumops-scheduled-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = try ForumDatabase.open(path: folder.appendingPathComponent("forum.sqlite").path)
        let backups = folder.appendingPathComponent("backups").path
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: true)
        try Data("не копия".utf8).write(to: URL(fileURLWithPath: backups + "/notes.txt"))
        let scheduler = BackupScheduler(database: database, schedule: BackupSchedule(every: .seconds(60), folder: backups, keep: 3), logger: Logger(label: "test"))
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for minute in 0..<5 { await scheduler.backUp(at: start.addingTimeInterval(Double(minute) * 60)) }
        let names = try FileManager.default.contentsOfDirectory(atPath: backups).sorted()
        #expect(names == ["forum-20270115-110200.sqlite", "forum-20270115-110300.sqlite", "forum-20270115-110400.sqlite", "notes.txt"])
        #expect(scheduler.status.last?.path == backups + "/forum-20270115-110400.sqlite" && scheduler.status.failure == nil)

        let health = HealthDocument(forum: "Форум", badges: nil, backups: scheduler)
        #expect(health.lastBackup?.madeAt == start.addingTimeInterval(240) && health.lastBackup?.failure == nil)

        // A folder that cannot be written: the failure is kept and shown, the server goes on.
        let blocked = BackupScheduler(database: database, schedule: BackupSchedule(every: .seconds(60), folder: backups + "/notes.txt/inner", keep: 3), logger: Logger(label: "test"))
        await blocked.backUp()
        #expect(blocked.status.failure != nil)
        #expect(HealthDocument(forum: "Форум", badges: nil, backups: blocked).warnings?.contains { $0.hasPrefix("резервная копия не сделана") } == true)
    }
}
