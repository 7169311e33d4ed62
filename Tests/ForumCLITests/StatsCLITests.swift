import ForumAPI
import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import Testing

@Suite struct StatsCLITests {
    private typealias S = SampleProgramme

    @Test func statsJSONIsTheStoresFiguresAndTheTextShowsThem() async throws {
        let forum = try ForumProcess()
        let database = try ForumDatabase.open(path: forum.directory.appendingPathComponent("forum.sqlite").path)
        try await S.statsForum(database)
        let expected = try await database.stats(at: S.statsMoment)
        try database.close()

        let json = try forum.run("stats", "--json", "--at", "2024-01-15 10:12")
        #expect(json.status == 0, "\(json.stderr)")
        #expect(try APIJSON.decoder.decode(ForumStats.self, from: Data(json.stdout.utf8)) == expected)

        let text = try forum.run("stats", "--at", "2024-01-15 10:12")
        #expect(text.status == 0)
        #expect(text.stdout.contains("Форум на 15.01.2024 10:12 МСК: зарегистрировано 5, на входе 2, не пришли 3"))
        #expect(text.stdout.contains("Стоек достаточно (Вход на форум)"))
        #expect(text.stdout.contains("10:00  ") && text.stdout.contains("09:50  "))
        #expect(text.stdout.contains("догружает офлайн-сканы") && text.stdout.contains("молчит"))
        #expect(text.stdout.contains("Республика Татарстан"))
    }

    @Test func badOptionsAreUsageErrors() throws {
        let forum = try ForumProcess()
        #expect(try forum.run("stats", "--at", "в полдень").status == 2)
        #expect(try forum.run("stats", "--watch", "--json").status == 2)
        #expect(try forum.run("stats", "--watch", "--every", "0").status == 2)
    }
}
