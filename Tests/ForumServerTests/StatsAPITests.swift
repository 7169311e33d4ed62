import ForumAPI
import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct StatsAPITests {
    @Test func theAPIGivesTheStoresFiguresAtTheMomentAsked() async throws {
        let database = try ForumDatabase.inMemory()
        try await SampleProgramme.statsForum(database)
        let admin = try await database.createToken(name: "Штаб", role: .admin).secret
        let expected = try await database.stats(at: SampleProgramme.statsMoment)
        try await API.withClient(database: database) { client in
            // 10:12 in Moscow, written with its offset.
            try await client.execute(uri: "/api/v1/stats?at=2024-01-15T10:12:00%2B03:00", method: .get, headers: API.headers(admin)) { response throws in
                #expect(response.status == .ok)
                #expect(try APIJSON.decoder.decode(ForumStats.self, from: Data(buffer: response.body)) == expected)
                try OpenAPISchema.expectValid(Data(buffer: response.body), as: "Stats")
            }
            try await client.execute(uri: "/api/v1/stats?at=yesterday", method: .get, headers: API.headers(admin)) { response throws in
                #expect(response.status == .unprocessableContent)
                let problem = try API.decode(response.body)
                #expect((problem["errors"] as? [[String: Any]])?.first?["field"] as? String == "at")
            }
        }
    }
}
