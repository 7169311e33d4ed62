import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

/// A desk is told `ok` only once its scan is committed: when the group's commit fails, nobody in
/// the group is answered `ok`, nothing of it stays on disk, and each caller gets the error once.
@Suite struct CheckInCommitTests {
    /// Refuses every commit while `vetoing`; SQLite then rolls the transaction back.
    final class CommitVeto: TransactionObserver, Sendable {
        struct Refusal: Error {}
        let vetoing = Mutex(false)
        let refusals = Mutex(0)

        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseWillCommit() throws {
            guard vetoing.withLock({ $0 }) else { return }
            refusals.withLock { $0 += 1 }
            throw Refusal()
        }
        func databaseDidCommit(_ db: Database) {}
        func databaseDidRollback(_ db: Database) {}
    }

    /// Thirty scans of three people at once, each answered or failed.
    private func scanTogether(_ database: ForumDatabase, at now: Date) async -> [Result<CheckInResult, any Error>] {
        await withTaskGroup(of: Result<CheckInResult, any Error>.self) { group in
            for scan in 0..<30 {
                group.addTask {
                    do {
                        let request = CheckInRequest(credential: nil, participantID: Int64(scan % 3 + 1), list: "entrance", desk: "Вход \(scan % 5)", nonce: "scan-\(scan)")
                        return .success(try await database.checkIn(request, at: now).record.result)
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func aGroupWhoseCommitFailsAnswersNobodyOkAndKeepsNothing() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("forumops-commit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let veto = CommitVeto()
        let pool = try DatabasePool(
            path: folder.appendingPathComponent("forum.sqlite").path,
            configuration: ForumDatabase.configuration { db in db.add(transactionObserver: veto, extent: .databaseLifetime) }
        )
        let database = try ForumDatabase(writer: pool)
        try await SampleProgramme.doorForum(database)
        let now = Date()
        _ = try await database.openCheckInList("entrance", until: now.addingTimeInterval(3600))
        func rows() throws -> Int { try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM checkin") ?? -1 } }

        veto.vetoing.withLock { $0 = true }
        let refused = await scanTogether(database, at: now)
        #expect(refused.count == 30)  // every caller answered once (a second answer would crash the continuation)
        #expect(refused.allSatisfy { if case .failure(let error) = $0 { error is CommitVeto.Refusal } else { false } })
        #expect(veto.refusals.withLock { $0 } >= 1)
        #expect(try rows() == 0)

        // The desks send the same scans again once the disk takes them: each decided afresh, once.
        veto.vetoing.withLock { $0 = false }
        let answered = await scanTogether(database, at: now)
        let results = answered.compactMap { try? $0.get() }
        #expect(results.count == 30)
        #expect(results.filter { $0 == .ok }.count == 3 && results.filter { $0 == .alreadyCheckedIn }.count == 27)
        #expect(try rows() == 30)
    }
}

/// SQLite's refusals a person can act on get the store's words; others stay unexpected.
@Suite struct StoreRefusalTests {
    @Test func aFullDiskAndABusyFileAreNamedOthersAreNot() {
        #expect(StoreError(refusal: DatabaseError(resultCode: .SQLITE_FULL)) == .diskFull)
        #expect(StoreError(refusal: DatabaseError(resultCode: .SQLITE_BUSY)) == .busy)
        #expect(StoreError(refusal: DatabaseError(resultCode: .SQLITE_CORRUPT)) == nil)
        #expect(StoreError(refusal: CocoaError(.fileNoSuchFile)) == nil)
        #expect(StoreError.diskFull.description.hasPrefix("на диске сервера нет места"))
    }
}
