import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ReportsAPITests {
    /// Rows of a report as Russian Excel reads it: BOM, `;`, CRLF.
    private func rows(_ data: Data) -> [[String]] {
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        return String(decoding: data.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { $0.components(separatedBy: ";") }
    }

    @Test func theReportsAreDownloadsOfTheDaysFigures() async throws {
        let database = try ForumDatabase.inMemory()
        try await SampleProgramme.statsForum(database)
        let admin = try await database.createToken(name: "Штаб", role: .admin).secret
        try await API.withClient(database: database) { client in
            func download(_ path: String) async throws -> [[String]] {
                try await client.execute(uri: path, method: .get, headers: API.headers(admin)) { response throws in
                    #expect(response.status == .ok && response.headers[.contentType] == "text/csv; charset=utf-8")
                    #expect(response.headers[.contentDisposition]?.hasPrefix("attachment; filename=") == true)
                    return rows(Data(buffer: response.body))
                }
            }
            // 1 at 09:55 and at 10:01 in «rt», 4 at 10:07 offline; 2's check-in was annulled.
            let arrivals = try await download("/api/v1/reports/arrivals.csv")
            #expect(arrivals.count == 4)
            #expect(arrivals[1][0] == "1" && arrivals[1][6] == "Вход на форум" && arrivals[1][7] == "15.01.2024 09:55:00" && arrivals[1][8] == "Вход 1")
            #expect(arrivals[2][6] == "Сессия rt" && arrivals[2][8] == "Зал А")
            #expect(arrivals[3][0] == "4" && arrivals[3][3] == "Москва" && arrivals[3][10] == "офлайн")
            #expect(try await download("/api/v1/reports/arrivals.csv?list=rt").count == 2)

            let sessions = try await download("/api/v1/reports/sessions.csv?at=2024-01-15T10:12:00%2B03:00")
            #expect(sessions[1] == ["Сессия rt", "rt", "15.01.2024 10:00", "10", "1", "0", "1", "10"])

            let noShows = try await download("/api/v1/reports/no-shows.csv?at=2024-01-15T10:12:00%2B03:00")
            #expect(noShows.dropFirst().map { $0 } == [["Республика Татарстан", "16", "3", "1", "2", "33"], ["Москва", "77", "2", "1", "1", "50"]])
        }
    }
}
