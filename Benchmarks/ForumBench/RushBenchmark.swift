import ForumAgenda
import ForumDomain
import ForumServer
import ForumStore
import Foundation

/// The sign-up opening rush: every registered participant, at the moment sign-up opens, tries 3
/// of the 10 round tables and lectures with the fewest seats through the form of their «Мой
/// форум» page (wrk from another process). Then the count that proves it fair — exactly the
/// capacity seated in each session, the queue numbered in order of arrival — and the pages
/// people read meanwhile: `/programme` and a session page from cache, `/my/{token}`.
struct RushBenchmark {
    let forms: [ParticipantForm]
    let directory: URL
    let http: HTTPBenchmark

    func run() async throws {
        let path = directory.appendingPathComponent("rush.sqlite").path
        let database = try ForumDatabase.open(path: path)
        _ = try await database.register(forms.map { try RegistrationRow($0) })
        let programme = try AgendaReader.read(path: "Agenda")
        _ = try await database.importProgramme(programme)
        _ = try await database.publishProgramme(note: "bench")
        let popular = programme.sessions.filter { $0.capacity != nil && !$0.isCancelled }.sorted { ($0.capacity!, $0.slug) < ($1.capacity!, $1.slug) }.prefix(10)
        let secret = try await database.pageSecret()
        let links = try await database.participants(matching: ParticipantFilter(page: Page(number: 1, size: nil))).items.map(\.feedToken)
        // Sign-up opens a few seconds after the server starts, while people wait on their pages.
        let opening = Date().addingTimeInterval(5)
        _ = try await database.openSignUp(at: opening)
        try database.close()
        // Participant n tries sessions n, n+3 and n+7 of the ten (mod 10): every session is wanted
        // by about 2,250 people; some of the three overlap, and those are refused.
        let csrfs = links.map { PageForms.csrfToken(for: $0, secret: secret) }
        let attempts = links.count * 3
        print("forumops sign-up rush: \(links.count) participants × 3 of the \(popular.count) sessions with the fewest seats (\(popular.map { String($0.capacity!) }.joined(separator: ", ")) seats), wrk -t2 -c64 from another process at the moment sign-up opens, with the server up and its pages read before")
        let script = directory.appendingPathComponent("rush.lua")
        try Self.rushScript(links: links, csrfs: csrfs, sessions: popular.map(\.slug)).write(to: script, atomically: true, encoding: .utf8)
        let pages = directory.appendingPathComponent("my.lua")
        try Self.myScript(links).write(to: pages, atomically: true, encoding: .utf8)
        try await http.withServer(database: path, logLevel: "warning", environment: ["FORUM_HTTP_SIGN_UPS_PER_ADDRESS": "10000000"]) { server in
            _ = try http.wrk(["-t1", "-c4", "-d1s", "-s", pages.path, server.base + "/my"])
            try await Task.sleep(for: .seconds(max(0, opening.timeIntervalSinceNow) + 0.05))
            let rush = try http.wrk(["-t2", "-c64", "-d30s", "--latency", "-s", script.path, server.base + "/my"], cpuOf: server)
            print("  sign-up attempts (\(attempts), each answered by a redirect to the page; wrk's rate is over its whole -d, see the window below): \(rush), p99 target < 100 ms")
            print("  every attempt answered, none with an error (no 4xx, 5xx or socket error): \(rush.contains("not 2xx") || rush.contains("Socket errors") ? "NO" : "yes")")
            try await Task.sleep(for: .seconds(2))  // the pages read the new seats
            let programmePage = try http.wrk(["-t2", "-c32", "-d5s", "--latency", "-H", "Accept-Encoding: gzip", server.base + "/programme"], cpuOf: server)
            print("  GET /programme (from cache, gzip): \(programmePage), target ≥ 10,000/s")
            let sessionPage = try http.wrk(["-t2", "-c32", "-d5s", "--latency", server.base + "/programme/sessions/" + popular.first!.slug], cpuOf: server)
            print("  GET a session page (from cache): \(sessionPage), target ≥ 10,000/s")
            let mine = try http.wrk(["-t2", "-c32", "-d5s", "--latency", "-s", pages.path, server.base + "/my"], cpuOf: server)
            print("  GET /my/{token} (each participant's own page, built per request): \(mine)")
        }
        let counted = try ForumDatabase.open(path: path)
        var fair = true
        var moments: [Date] = []
        for session in popular {
            let enrollments = try await counted.enrollments(in: session.slug)
            moments += enrollments.map(\.createdAt)
            let seated = enrollments.filter { $0.state == .seated }
            let queue = enrollments.filter { $0.state == .waitlisted }
            let ordered = queue.map(\.waitlistPosition) == Array(1...max(queue.count, 1)).prefix(queue.count).map { Optional($0) }
                && zip(seated.map(\.createdAt), seated.dropFirst().map(\.createdAt)).allSatisfy { $0 <= $1 }
                && (queue.first.map { first in seated.allSatisfy { $0.createdAt <= first.createdAt } } ?? true)
            fair = fair && seated.count == min(session.capacity!, enrollments.count) && ordered
            print("  \(session.slug): capacity \(session.capacity!), seated \(seated.count), queued \(queue.count) in order \(ordered ? "yes" : "NO")")
        }
        print("  exactly capacity seated and queues in order of arrival everywhere: \(fair ? "yes" : "NO")")
        if let first = moments.min(), let last = moments.max(), last > first {
            // Every attempt was answered between the first sign-up written and the last.
            let seconds = last.timeIntervalSince(first)
            print(String(format: "  the rush: %d attempts (%d sign-ups written) within %.2f s of the first: %.0f attempts/s, target ≥ 2,000/s", attempts, moments.count, seconds, Double(attempts) / seconds))
        }
        try counted.close()
    }

    /// Each connection sends the next attempt of its thread's share, and stops at the end of it.
    /// Attempt i is participant i / 3's try at session (i / 3 + 0, 3 or 7) mod 10.
    private static func rushScript(links: [String], csrfs: [String], sessions: [String]) -> String {
        """
        local links = {\(links.map { "\"\($0)\"" }.joined(separator: ","))}
        local csrfs = {\(csrfs.map { "\"\($0)\"" }.joined(separator: ","))}
        local sessions = {\(sessions.map { "\"\($0)\"" }.joined(separator: ","))}
        local steps = {0, 3, 7}
        local total = #links * 3
        \(HTTPBenchmark.luaThreadNumbers)
        local counter = 0
        request = function()
          local index = (id + counter * 2) % total
          counter = counter + 1
          local person = math.floor(index / 3)
          local session = sessions[((person + steps[(index % 3) + 1]) % #sessions) + 1]
          return wrk.format("POST", "/my/" .. links[person + 1] .. "/sign-up", {["Content-Type"] = "application/x-www-form-urlencoded"}, "csrf=" .. csrfs[person + 1] .. "&session=" .. session)
        end
        response = function(status, headers, body)
          if id + counter * 2 >= total then wrk.thread:stop() end
        end
        """
    }

    /// Each request asks for another participant's page.
    private static func myScript(_ links: [String]) -> String {
        """
        local links = {\(links.map { "\"\($0)\"" }.joined(separator: ","))}
        local counter = 0
        request = function()
          counter = counter + 1
          return wrk.format("GET", "/my/" .. links[(counter % #links) + 1])
        end
        """
    }
}
