import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import Testing

@Suite struct DeskSnapshotTests {
    /// The people a desk hears of after `cursor`, by id.
    private func changed(_ database: ForumDatabase, since cursor: inout DeskSnapshot.Cursor) async throws -> [Int64] {
        let snapshot = try await database.deskSnapshot(list: "entrance", since: cursor)
        cursor = snapshot.cursor
        return snapshot.people.map(\.id)
    }

    @Test func everyWriteToAParticipantReachesTheDesksOnce() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register([Sample.details(1), Sample.details(2), Sample.details(3)])
        var cursor = DeskSnapshot.Cursor()
        #expect(try await changed(database, since: &cursor) == [1, 2, 3])
        #expect(try await changed(database, since: &cursor) == [])
        var patch = ParticipantForm()
        patch[.position] = "Глава поселения"
        _ = try await database.updateParticipant(id: 2, with: patch)
        #expect(try await changed(database, since: &cursor) == [2])
        _ = try await database.cancelParticipant(id: 3)
        _ = try await database.reprintBadge(id: 1)
        #expect(try await changed(database, since: &cursor) == [3, 1])
        _ = try await database.reinstateParticipant(id: 3)
        _ = try await database.register([Sample.details(4), Sample.details(1)])  // one new, one unchanged
        #expect(try await changed(database, since: &cursor) == [3, 4])
    }
}
