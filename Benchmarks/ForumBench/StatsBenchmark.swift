import ForumAgenda
import ForumDomain
import ForumRoster
import ForumStore
import Foundation

/// Watching the day with 7,500 registered and 7,500 check-ins spread over a morning at 20
/// desks: the figures in process, then the dashboard page (its kiosk link: the same page an
/// organiser gets) and a `/metrics` scrape from `forum serve`, one client at a time.
struct StatsBenchmark {
    let forms: [ParticipantForm]
    let directory: URL
    let http: HTTPBenchmark

    func run() async throws {
        let path = directory.appendingPathComponent("stats.sqlite").path
        let database = try ForumDatabase.open(path: path)
        _ = try await database.register(forms.map { try RegistrationRow($0) })
        _ = try await database.importProgramme(try AgendaReader.read(path: "Agenda"))
        _ = try await database.openCheckInList("entrance", until: Date().addingTimeInterval(3600))
        // The morning: everyone scanned in the last hour, the last minutes busiest.
        let now = Date()
        for id in 1...Int64(forms.count) {
            let minutesAgo = 60 * (1 - (Double(id) / Double(forms.count)).squareRoot())
            _ = try await database.checkIn(
                CheckInRequest(credential: nil, participantID: id, list: "entrance", desk: "Вход \(id % 20 + 1)", nonce: "bench-\(id)"),
                at: now.addingTimeInterval(-minutesAgo * 60)
            )
        }
        let scraper = try await database.createToken(name: "Prometheus", role: .metrics).secret
        let kiosk = try await database.createKioskLink(name: "bench", hours: 1).key
        try database.close()
        // As the server reads it: opened afresh (the morning's writes checkpointed).
        let reader = try ForumDatabase.open(path: path)
        let figures = try await measure(runs: 15, setUp: {}) { _ in _ = try await reader.stats() }
        try reader.close()
        print("forumops stats benchmark: \(forms.count) registered, \(forms.count) check-ins over an hour at 20 desks")
        print("  figures (forum stats, GET /api/v1/stats) \(format(figures)), target < 20 ms")
        try await http.withServer(database: path, logLevel: "info") { server in
            let page = try http.wrk(["-t1", "-c1", "-d5s", "--latency", server.base + "/dashboard/kiosk/" + kiosk], cpuOf: server)
            print("  dashboard page, one client: \(page), target < 50 ms")
            let scrape = try http.wrk(["-t1", "-c1", "-d5s", "--latency", "-H", "Authorization: Bearer \(scraper)", server.base + "/metrics"], cpuOf: server)
            print("  /metrics scrape, one client: \(scrape), target < 10 ms")
        }
    }
}
