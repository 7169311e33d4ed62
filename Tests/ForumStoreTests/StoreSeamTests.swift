import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

/// The store over a writer the test owns: what it reads back and what it asks SQLite to do.
@Suite struct StoreSeamTests {
    @Test(arguments: [
        "UPDATE participant SET status = 'vip'",
        "UPDATE participant SET category = 'boss'",
    ])
    func anUnreadableStoredParticipantIsAnErrorNotADefault(_ corruption: String) async throws {
        let queue = try DatabaseQueue(configuration: ForumDatabase.configuration())
        let database = try ForumDatabase(writer: queue)
        _ = try await database.register([Sample.details(1)])
        try await queue.write { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: corruption)
        }
        await #expect(throws: (any Error).self) { try await database.participant(id: 1) }
        await #expect(throws: (any Error).self) { try await database.participants(matching: ParticipantFilter()) }
    }

    @Test func anUnknownStoredRoleGrantsNothing() async throws {
        let queue = try DatabaseQueue(configuration: ForumDatabase.configuration())
        _ = try await ForumDatabase(writer: queue).createToken(name: "Вход 1", role: .desk)
        try await queue.write { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE api_token SET role = 'root'")
        }
        // Opening loads the live tokens: an unreadable role refuses to open, rather than letting
        // the token in as some role.
        #expect(throws: (any Error).self) { try ForumDatabase(writer: queue) }
    }

    @Test func registeringOnePersonSearchesIndexesAndScansNoTable() async throws {
        let statements = Mutex<[String]>([])
        let queue = try DatabaseQueue(configuration: ForumDatabase.configuration { db in
            db.trace { event in
                if case .statement(let statement) = event { statements.withLock { $0.append(statement.expandedSQL) } }
            }
        })
        let database = try ForumDatabase(writer: queue)
        _ = try await database.register((1...200).map { Sample.details($0) })
        statements.withLock { $0 = [] }

        var newcomer = Sample.form(500, lastName: "Ёлкина")
        #expect(try await database.register(RegistrationRow(newcomer)).result == .created)
        newcomer[.position] = "Мэр"
        #expect(try await database.register(RegistrationRow(newcomer)).result == .updated)
        #expect(try await database.register(RegistrationRow(Sample.form(600))).likelyDuplicates == [1])
        await #expect(throws: StoreError.self) {
            var taken = Sample.form(8)
            taken[.externalID] = "MR-9"
            _ = try await database.register(RegistrationRow(taken))
        }

        let executed = statements.withLock { $0 }
        #expect(!executed.isEmpty)
        for sql in executed where sql.hasPrefix("SELECT") || sql.hasPrefix("UPDATE") {
            let plan = try await queue.read { db in
                try String.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, adapter: SuffixRowAdapter(fromIndex: 3))
            }
            #expect(!plan.contains { $0.hasPrefix("SCAN participant") && !$0.hasPrefix("SCAN participant_search") }, "\(sql): \(plan)")
        }
    }

    @Test func aPublishedReleaseCannotBeChangedOrDeleted() async throws {
        let queue = try DatabaseQueue(configuration: ForumDatabase.configuration())
        let database = try ForumDatabase(writer: queue)
        _ = try await database.importProgramme(SampleProgramme.programme([SampleProgramme.session("a", from: "10:00", to: "11:00")]))
        _ = try await database.publishProgramme(note: "Первый")
        await #expect(throws: DatabaseError.self) { try await queue.write { db in try db.execute(sql: "UPDATE programme_release SET note = 'x'") } }
        await #expect(throws: DatabaseError.self) { try await queue.write { db in try db.execute(sql: "DELETE FROM programme_release") } }
        #expect(try await database.programmeRelease()?.note == "Первый")
    }
}
