import ForumDomain
import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct MetricsTests {
    /// The value of one sample line (`name{labels} value`) of a scrape, 0 if absent.
    private func sample(_ scrape: String, _ series: String) -> Double {
        scrape.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test func aScrapeCountsRequestsCheckInsFeedsAndDesks() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register([Sample.details(1), Sample.details(2)])
        // A hall of its own, so that other tests' scans (the registry is the process's) do not count.
        _ = try await database.importProgramme(SampleProgramme.programme([SampleProgramme.session("metrics-hall", from: "10:00", to: "11:00")]))
        _ = try await database.publishProgramme(note: "1")
        _ = try await database.openCheckInList("metrics-hall", until: Date().addingTimeInterval(3600))
        let desk = try await database.createToken(name: "Вход 1", role: .desk).secret
        let scraper = try await database.createToken(name: "Prometheus", role: .metrics).secret
        try await API.withClient(database: database) { client in
            func scrape() async throws -> String {
                try await client.execute(uri: "/metrics", method: .get, headers: API.headers(scraper)) { response throws in
                    #expect(response.status == .ok && response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                    return String(buffer: response.body)
                }
            }
            let before = try await scrape()
            for (id, nonce, offline) in [(1, "m-1", false), (1, "m-2", false), (2, "m-3", true), (2, "m-3", true)] {  // the last is a replay
                let body = try API.json(["participantId": id, "list": "metrics-hall", "desk": "Зал", "nonce": nonce, "offline": offline])
                _ = try await client.execute(uri: "/api/v1/checkins", method: .post, headers: API.headers(desk), body: body)
            }
            let etag = try await client.execute(uri: "/schedule.json", method: .get) { $0.headers[.eTag] }
            _ = try await client.execute(uri: "/schedule.json", method: .get, headers: [.ifNoneMatch: try #require(etag)])
            let after = try await scrape()

            #expect(sample(after, #"forum_checkins_total{list="metrics-hall",result="ok"}"#) == 2)
            #expect(sample(after, #"forum_checkins_total{list="metrics-hall",result="already_checked_in"}"#) == 1)
            #expect(sample(after, #"forum_checkins_offline_uploads_total{list="metrics-hall"}"#) == 1)
            #expect(sample(after, "forum_desks_seen_last_minute") == 1)
            // Process-wide series other tests may also move: they grew by at least these requests.
            let checkIns = #"hb_requests{http_route="/api/v1/checkins",http_request_method="POST",http_response_status_code="200"}"#
            #expect(sample(after, checkIns) - sample(before, checkIns) >= 4)
            let unchanged = #"forum_feed_responses_total{feed="schedule.json",status="304"}"#
            #expect(sample(after, unchanged) - sample(before, unchanged) >= 1)
            #expect(after.contains("# TYPE http_server_request_duration histogram"))
            // Buckets fine enough for a door that answers in about a millisecond.
            #expect(after.contains(#"http_server_request_duration_bucket{http_route="/api/v1/checkins",http_request_method="POST",http_response_status_code="200",le="0.001"}"#))
        }
    }
}
