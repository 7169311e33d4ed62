import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

/// The people whose scans were answered `ok`, as the desks learnt it.
private final class Acknowledged: Sendable {
    private let ids = Mutex<Set<Int64>>([])
    func insert(_ id: Int64) { ids.withLock { _ = $0.insert(id) } }
    var all: Set<Int64> { ids.withLock { $0 } }
}

@Suite struct BackupTests {
    private func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("forumops-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
    }

    @Test func aBackupDuringCheckInsHoldsEveryScanAcknowledgedBeforeItBegan() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try ForumDatabase.open(path: folder.appendingPathComponent("forum.sqlite").path)
        _ = try await database.register((1...400).map { Sample.details($0, lastName: "Участникова") })
        let now = Date()
        _ = try await database.openCheckInList("entrance", until: now.addingTimeInterval(3600))
        let acknowledged = Acknowledged()
        let copy = folder.appendingPathComponent("copy.sqlite").path

        let (before, record) = try await withThrowingTaskGroup(of: (Set<Int64>, BackupRecord)?.self) { group in
            for desk in 0..<8 {
                group.addTask {
                    for id in stride(from: Int64(desk + 1), through: 400, by: 8) {
                        let request = CheckInRequest(credential: nil, participantID: id, list: "entrance", desk: "Вход \(desk)", nonce: "n-\(id)")
                        if try await database.checkIn(request, at: now).record.result == .ok { acknowledged.insert(id) }
                    }
                    return nil
                }
            }
            group.addTask {
                while acknowledged.all.count < 100 { try await Task.sleep(for: .milliseconds(1)) }
                let before = acknowledged.all
                return (before, try await database.backup(to: copy, at: now))
            }
            var result: (Set<Int64>, BackupRecord)?
            for try await value in group where value != nil { result = value }
            return result!
        }
        #expect(acknowledged.all.count == 400)
        #expect(record.path == copy && record.bytes > 0)
        #expect(try mode(copy) == 0o600)
        let last = try #require(try await database.lastBackup())
        #expect(last.path == record.path && last.bytes == record.bytes && abs(last.madeAt.timeIntervalSince(now)) < 0.001)

        let restored = try ForumDatabase.open(path: copy)
        let inCopy = Set(try await restored.checkIns(limit: 1000).compactMap(\.participantID))
        #expect(before.isSubset(of: inCopy), "missing from the copy: \(before.subtracting(inCopy).sorted().prefix(5))")
        #expect(inCopy.count < 400, "the copy is one moment, taken while scans went on (\(inCopy.count))")
        let status = try await restored.status()
        #expect(status.registered == 400 && status.checkIns == inCopy.count)
        #expect(status.migrations.count == status.knownMigrations)

        await #expect(throws: StoreError.self, "never over an existing file") { try await database.backup(to: copy) }
    }

    @Test func restoreChecksTheCopyRefusesAServedForumAndKeepsTheOneItReplaces() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("forum.sqlite").path
        let database = try ForumDatabase.open(path: path)
        _ = try await database.register([Sample.details(1)])
        let copy = folder.appendingPathComponent("copy.sqlite").path
        _ = try await database.backup(to: copy)
        _ = try await database.register([Sample.details(2), Sample.details(3)])
        try database.close()

        let garbage = folder.appendingPathComponent("garbage.sqlite").path
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: StoreError.self) { try ForumDatabase.restore(from: garbage, to: path) }
        // A page torn in the middle of the copy.
        let torn = folder.appendingPathComponent("torn.sqlite").path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: copy))
        bytes.replaceSubrange(4096..<4200, with: Data(repeating: 0xFF, count: 104))
        try bytes.write(to: URL(fileURLWithPath: torn))
        #expect { try ForumDatabase.restore(from: torn, to: path) } throws: { error in
            guard case StoreError.unsoundCopy = error else { return false }
            return true
        }
        #expect(throws: StoreError.unsoundCopy(path: folder.path + "/none.sqlite", reason: "файла нет")) {
            try ForumDatabase.restore(from: folder.path + "/none.sqlite", to: path)
        }

        let serving = try ServingLock(path: path)
        #expect(throws: StoreError.inUse(path: path)) { try ForumDatabase.restore(from: copy, to: path) }
        #expect(throws: StoreError.inUse(path: path), "nor can a second server start") { try ServingLock(path: path) }
        serving.release()

        let kept = try #require(try ForumDatabase.restore(from: copy, to: path, at: Date(timeIntervalSince1970: 1_800_000_000)))
        #expect(kept == path + ".before-restore-20270115-110000")
        #expect(try mode(path) == 0o600 && mode(kept) == 0o600)
        #expect(try await ForumDatabase.open(path: path).status().registered == 1)
        #expect(try await ForumDatabase.open(path: kept).status().registered == 3, "the replaced forum, as it was")
    }

    @Test func aForumFromANewerForumopsIsRefusedAndLeftAsItIs() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("forum.sqlite").path
        try ForumDatabase.open(path: path).close()
        #expect(try ForumDatabase.pendingMigrations(path: path).isEmpty)
        #expect(try ForumDatabase.pendingMigrations(path: folder.path + "/new.sqlite").first == "v1 participants and tokens")
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99 from the future')") }
        func schema() throws -> [String] {
            try DatabaseQueue(path: path).read { db in
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations UNION ALL SELECT name FROM sqlite_master ORDER BY 1")
            }
        }
        let before = try schema()
        try queue.close()

        let refusal = StoreError.newerSchema(path: path, unknown: ["v99 from the future"])
        #expect(throws: refusal) { try ForumDatabase.open(path: path) }
        #expect(throws: refusal) { try ForumDatabase.pendingMigrations(path: path) }
        #expect(refusal.description.contains("более новой версией forumops"))
        #expect(try schema() == before, "nothing migrated around the newer schema")
    }
}
