import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import Testing

@Suite struct ProgrammeStoreTests {
    private typealias S = SampleProgramme

    @Test func importingAnEditedFileUpdatesSessionsInPlaceAndCancelsVanishedOnes() async throws {
        let database = try ForumDatabase.inMemory()
        let first = S.programme([S.session("a", from: "10:00", to: "11:00"), S.session("b", room: "hall-b", from: "10:00", to: "11:00")])
        let imported = try await database.importProgramme(first)
        #expect(imported.changes.map(\.kind) == [.added, .added] && imported.committed)
        #expect(try await database.programme() == first)
        #expect(try await database.importProgramme(first).changes.isEmpty)

        var edited = first
        edited.sessions[0].title = "Новое название"
        edited.sessions.remove(at: 1)
        let dry = try await database.importProgramme(edited, dryRun: true)
        #expect(!dry.committed && dry.vanished == ["b"])
        #expect(try await database.programme() == first)

        let second = try await database.importProgramme(edited)
        #expect(second.vanished == ["b"])
        #expect(second.changes.map(\.kind) == [.renamed, .cancelled])
        let stored = try await database.programme()
        #expect(stored.sessions.map(\.slug) == ["a", "b"])  // never duplicated, never deleted
        #expect(stored.sessions[1].status == .cancelled)
        #expect(stored.sessions[0].title == "Новое название")
    }

    @Test func publishingFreezesReleasesWithChangelogsAndRefusesErrors() async throws {
        let database = try ForumDatabase.inMemory()
        await #expect(throws: StoreError.self) { try await database.publishProgramme(note: "пусто") }
        _ = try await database.importProgramme(S.programme([
            S.session("a", from: "10:00", to: "11:00"), S.session("b", from: "10:30", to: "11:30"),
        ]))
        await #expect(throws: ScheduleRefusal.self) { try await database.publishProgramme(note: "с конфликтом") }
        #expect(try await database.programmeRelease() == nil)

        _ = try await database.updateSession("b") { $0.room = "hall-b" }
        let first = try await database.publishProgramme(note: "Первый выпуск")
        #expect(first.number == 1 && first.changes.count == 2)
        await #expect(throws: StoreError.self) { try await database.publishProgramme(note: "без изменений") }

        let moved = try await database.updateSession("a") { session in
            session.start = S.at("12:00")
            session.end = S.at("13:00")
        }
        #expect(moved.start == S.at("12:00"))
        let second = try await database.publishProgramme(note: "Перенос")
        #expect(second.number == 2)
        #expect(second.changes.map(\.kind) == [.moved])
        #expect(try await database.programmeReleases().map(\.number) == [2, 1])
        #expect(try await database.programmeRelease(1)?.programme.session("a")?.start == S.at("10:00"))  // release 1 is frozen
        #expect(try await database.programmeRelease()?.programme == database.programme())
    }

    @Test func aSessionCannotMoveToAnUnknownRoomOrEndBeforeItStarts() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.importProgramme(S.programme([S.session("a", from: "10:00", to: "11:00")]))
        await #expect(throws: ValidationFailure.self) { try await database.updateSession("a") { $0.room = "nowhere" } }
        await #expect(throws: ValidationFailure.self) { try await database.updateSession("a") { $0.end = $0.start } }
        await #expect(throws: StoreError.notFound(.session, id: "zzz")) { try await database.updateSession("zzz") { _ in } }
    }
}
