import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import Testing

@Suite struct ReportsCLITests {
    @Test func checkinsExportWritesTheSameReportsAsTheAPI() async throws {
        let forum = try ForumProcess()
        let database = try ForumDatabase.open(path: forum.directory.appendingPathComponent("forum.sqlite").path)
        try await SampleProgramme.statsForum(database)
        try database.close()
        let arrivals = try forum.run("checkins", "export", "-o", "arrivals.csv")
        #expect(arrivals.status == 0 && arrivals.stderr.contains("arrivals.csv"))
        let text = String(decoding: try Data(contentsOf: forum.directory.appendingPathComponent("arrivals.csv")).dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("ID forumops;ФИО;Категория;Регион;") && text.contains(";15.01.2024 09:55:00;Вход 1;"))
        #expect(try forum.run("checkins", "export", "no-shows").stdout.contains("Москва;77;2;1;1;50"))
        #expect(try forum.run("checkins", "export", "sessions").stdout.contains("Сессия rt;rt;15.01.2024 10:00;10;1;0;1;10"))
        #expect(try forum.run("checkins", "export", "visitors").status == 2)
    }
}
