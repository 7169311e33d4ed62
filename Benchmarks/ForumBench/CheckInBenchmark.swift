import ForumBadges
import ForumCredentials
import ForumDomain
import ForumRoster
import ForumStore
import Foundation

/// The door: check-ins over HTTP from 32 concurrent clients with distinct valid badges, then the
/// same badges again (all refused as already checked in), a count proving one check-in per
/// badge, and the desk's surname lookup.
struct CheckInBenchmark {
    let directory: URL
    let http: HTTPBenchmark
    /// More badges than two runs of a few seconds at full speed can use up: the HTTPS run takes
    /// the second half.
    let badges = 60_000

    func run() async throws {
        var demo = DemoRoster(seed: 2028)
        let path = directory.appendingPathComponent("door.sqlite").path
        let database = try ForumDatabase.open(path: path)
        _ = try await database.register(demo.forms(count: badges).map { try RegistrationRow($0) })
        let desk = try await database.createToken(name: "bench desk", role: .desk).secret
        _ = try await database.openCheckInList("entrance", until: Date().addingTimeInterval(3600))
        let signer = BadgeSigner(key: try BadgeKeys.create(at: BadgeKeys.defaultPath(besideDatabase: path)), edition: try database.editionIdentity())
        let participants = try await database.participants(matching: ParticipantFilter(page: Page(number: 1, size: nil))).items
        let codes = try participants.map { try signer.code(for: $0) }
        try database.close()
        print("forumops check-in benchmark: \(codes.count) badges, wrk -t2 -c32 from another process, synchronous=FULL")

        let script = directory.appendingPathComponent("scan.lua")
        try Self.scanScript(codes: codes, token: desk).write(to: script, atomically: true, encoding: .utf8)
        try await http.withServer(database: path, logLevel: "info", readyWhenLogged: "badge codes ready") { server in
            let first = try http.wrk(["-t2", "-c32", "-d3s", "--latency", "-s", script.path, "-H", "X-Phase: first", "-H", "X-Offset: 0", server.base + "/api/v1/checkins"], cpuOf: server)
            print("  check-ins, distinct valid badges: \(first), target ≥ 5,000/s, p99 < 20 ms")
            let again = try http.wrk(["-t2", "-c32", "-d3s", "--latency", "-s", script.path, "-H", "X-Phase: again", "-H", "X-Offset: 0", server.base + "/api/v1/checkins"], cpuOf: server)
            print("  the same badges again (already checked in): \(again), target ≥ 5,000/s")
            let search = try http.wrk(["-t2", "-c32", "-d5s", "--latency", "-H", "Authorization: Bearer \(desk)", server.base + "/api/v1/desk/search?q=%D0%BA%D1%83%D0%B7%D1%8C%D0%BC"], cpuOf: server)
            print("  desk surname lookup («кузьм»): \(search), target ≥ 5,000/s")
        }
        let tls = try Self.certificate(in: directory)
        try await http.withServer(database: path, logLevel: "info", environment: ["FORUM_HTTP_TLS_CERTIFICATE": tls.certificate, "FORUM_HTTP_TLS_KEY": tls.key], readyWhenLogged: "badge codes ready") { server in
            let secure = try http.wrk(["-t2", "-c32", "-d3s", "--latency", "-s", script.path, "-H", "X-Phase: tls", "-H", "X-Offset: \(badges / 2)", server.base + "/api/v1/checkins"], cpuOf: server)
            print("  check-ins over HTTPS (TLS 1.3, kept-alive connections), distinct valid badges: \(secure), target ≥ 4,000/s")
        }
        let counted = try ForumDatabase.open(path: path)
        let admitted = try await counted.admittedCount(list: "entrance")
        let trail = try await counted.checkIns(list: "entrance", limit: Int.max)
        let okBadges = Set(trail.filter { $0.result == .ok }.compactMap(\.participantID))
        print("  afterwards: \(trail.count) scans kept, \(admitted) check-ins for \(okBadges.count) distinct badges (exactly one per badge: \(admitted == okBadges.count ? "yes" : "NO"))")
        try counted.close()
    }

    /// A self-signed certificate for 127.0.0.1, made with openssl.
    private static func certificate(in directory: URL) throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("bench-tls.pem").path, key = directory.appendingPathComponent("bench-tls.key").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", certificate,
                             "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError("openssl could not make a certificate") }
        return (certificate, key)
    }

    /// Each connection takes the next badge of its thread's share; nonces never repeat.
    private static func scanScript(codes: [String], token: String) -> String {
        """
        local codes = {\(codes.map { "\"\($0)\"" }.joined(separator: ","))}
        \(HTTPBenchmark.luaThreadNumbers)
        local counter = 0
        request = function()
          counter = counter + 1
          local index = ((tonumber(wrk.headers["X-Offset"]) + id + (counter - 1) * 2) % #codes) + 1
          local body = '{"code":"' .. codes[index] .. '","list":"entrance","desk":"bench","nonce":"' .. wrk.headers["X-Phase"] .. '-' .. id .. '-' .. counter .. '"}'
          return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer \(token)"}, body)
        end
        """
    }
}
