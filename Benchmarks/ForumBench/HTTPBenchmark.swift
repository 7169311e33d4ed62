import ForumAgenda
import ForumDomain
import ForumStore
import Foundation

/// The HTTP server as it runs at the forum: the release `forum serve` (beside this binary) over a
/// database with the roster registered, loaded by `wrk` (Debian `wrk`) from another process.
struct HTTPBenchmark {
    let forms: [ParticipantForm]
    let directory: URL
    let seconds = 10

    func run() async throws {
        let path = directory.appendingPathComponent("http.sqlite").path
        let database = try ForumDatabase.open(path: path)
        _ = try await database.register(forms.map { try RegistrationRow($0) })
        let admin = try await database.createToken(name: "bench", role: .admin).secret
        let desk = try await database.createToken(name: "bench desk", role: .desk).secret
        let programme = try AgendaReader.read(path: "Agenda")
        _ = try await database.importProgramme(programme)
        _ = try await database.publishProgramme(note: "bench")
        try database.close()
        print("forumops HTTP benchmark: \(forms.count) registered, programme of \(programme.sessions.count) sessions published, wrk from another process")

        let search = "/api/v1/participants?surname=%D0%BA%D1%83%D0%B7%D1%8C%D0%BC&perPage=10"  // «кузьм»
        // The access log's cost shows against the search and against the cheapest route.
        for level in ["info", "warning"] {
            try await withServer(database: path, logLevel: level) { server in
                let log = level == "info" ? "access log on" : "access log off"
                let result = try wrk(["-t2", "-c32", "-d\(seconds)s", "--latency", "-H", "Authorization: Bearer \(desk)", server.base + search], cpuOf: server)
                print("  surname search, 32 connections, \(log): \(result)" + (level == "info" ? ", target ≥ 5,000 req/s" : ""))
                print("  GET /healthz, 32 connections, \(log): \(try wrk(["-t2", "-c32", "-d5s", "--latency", server.base + "/healthz"], cpuOf: server))")
            }
        }
        try await withServer(database: path, logLevel: "info") { server in
            let base = server.base
            let revalidate = directory.appendingPathComponent("revalidate.lua")
            try Self.revalidationScript.write(to: revalidate, atomically: true, encoding: .utf8)
            for feed in ["/api/v1/schedule", "/schedule.json", "/schedule.xml", "/schedule.ics"] {
                let full = try wrk(["-t2", "-c32", "-d5s", "--latency", "-H", "Accept-Encoding: gzip", base + feed])
                let notModified = try wrk(["-t2", "-c32", "-d5s", "--latency", "-s", revalidate.path, base + feed])
                print("  \(feed) gzip: \(full); 304 on its ETag: \(notModified)")
            }
            print("  (targets: ≥ 10,000 full responses/s with gzip, ≥ 20,000 304s/s)")
        }
        try await withServer(database: path, logLevel: "info") { server in
            let script = directory.appendingPathComponent("post.lua")
            try Self.registrationScript(token: admin).write(to: script, atomically: true, encoding: .utf8)
            let result = try wrk(["-t1", "-c1", "-d5s", "--latency", "-s", script.path, server.base + "/api/v1/participants"], cpuOf: server)
            print("  POST /api/v1/participants, one new person at a time: \(result)")
        }
    }

    /// A wrk script that registers a new person with every request.
    private static func registrationScript(token: String) -> String {
        """
        counter = 0
        request = function()
          counter = counter + 1
          local body = string.format('{"lastName":"Тестова","firstName":"Алёна","email":"bench%d@mail.ru","regionCode":"16","municipality":"Город Казань"}', counter)
          return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer \(token)"}, body)
        end
        """
    }

    /// wrk's `setup`, numbering the threads 0, 1, … as `id`, so that each takes its own share.
    static let luaThreadNumbers = """
        local threads = 0
        function setup(thread)
          thread:set("id", threads)
          threads = threads + 1
        end
        """

    /// A wrk script that takes the ETag of its first answer and then asks only whether it changed.
    private static let revalidationScript = """
        local etag = nil
        response = function(status, headers, body)
          if etag == nil then etag = headers["ETag"] end
        end
        request = function()
          if etag == nil then return wrk.format("GET", nil, {["Accept-Encoding"] = "gzip"}) end
          return wrk.format("GET", nil, {["Accept-Encoding"] = "gzip", ["If-None-Match"] = etag})
        end
        """

    /// Runs `forum serve` on a free port while `body` gets its base URL; its log goes to a file.
    /// With `readyWhenLogged`, `body` starts only once the log has that line (the server's
    /// preparation for the doors).
    func withServer(
        database: String, logLevel: String, environment: [String: String] = [:], readyWhenLogged: String? = nil, _ body: (Served) async throws -> Void
    ) async throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("forum")
        let log = directory.appendingPathComponent("serve-\(logLevel).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let server = Process()
        server.executableURL = executable
        server.arguments = ["serve", "--database", database, "--port", "0"]
        server.environment = ["FORUM_LOG_LEVEL": logLevel, "PATH": "/usr/bin:/bin"].merging(environment) { _, given in given }
        server.standardError = try FileHandle(forWritingTo: log)
        try server.run()
        defer {
            server.interrupt()
            server.waitUntilExit()
        }
        let start = ContinuousClock.now
        var base: String?
        while base == nil, ContinuousClock.now - start < .seconds(10) {
            try await Task.sleep(for: .milliseconds(20))
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            base = text.firstMatch(of: /https?:\/\/127\.0\.0\.1:\d+/).map { String($0.0) }
            if let readyWhenLogged, !text.contains(readyWhenLogged) { base = nil }
        }
        guard let base else { throw BenchmarkError("forum serve did not start: see \(log.path)") }
        print(String(format: readyWhenLogged == nil ? "  (forum serve answered after %.0f ms)" : "  (forum serve was ready after %.0f ms)", (ContinuousClock.now - start) / .milliseconds(1)))
        try await body(Served(base: base, processID: server.processIdentifier))
    }

    /// Runs wrk and returns its requests per second and latency percentiles, and with `cpuOf` the
    /// CPU time that server spent per request: a figure that a busy neighbour on the machine
    /// does not move as much as it moves the rate.
    func wrk(_ arguments: [String], cpuOf server: Served? = nil) throws -> String {
        let cpuBefore = server?.cpuSeconds()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            throw BenchmarkError("wrk is not installed: apt-get install wrk (make bench does)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        func value(_ label: String) -> String {
            text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }?
                .split(separator: " ", omittingEmptySubsequences: true).dropFirst(label.split(separator: " ").count).first.map(String.init) ?? "?"
        }
        var errors = text.contains("Non-2xx") ? " (\(value("Non-2xx or 3xx responses:")) not 2xx)" : ""
        if let sockets = text.split(separator: "\n").first(where: { $0.contains("Socket errors:") }) {
            errors += " (" + sockets.trimmingCharacters(in: .whitespaces) + ")"
        }
        var cpu = ""
        if let server, let cpuBefore, let cpuAfter = server.cpuSeconds(),
           let requests = text.firstMatch(of: /(\d+) requests in/).flatMap({ Double($0.1) }), requests > 0 {
            cpu = String(format: ", server CPU %.0f µs/request", (cpuAfter - cpuBefore) / requests * 1e6)
        }
        return "\(value("Requests/sec:")) req/s, p50 \(value("50%")), p99 \(value("99%"))\(errors)\(cpu)"
    }
}

/// A running `forum serve`: where it answers, and its process.
struct Served {
    let base: String
    let processID: Int32

    /// The CPU time (user and system) the process has used so far, from `/proc/PID/stat`.
    func cpuSeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(processID)/stat", encoding: .utf8),
              let afterName = stat.lastIndex(of: ")") else { return nil }
        // After the name: state is field 3, utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
