import ForumCredentials
import ForumDomain
import Foundation
import Synchronization
import ForumTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A `forum` process that keeps running: lines to its stdin, its stdout collected line by line.
final class RunningForum: Sendable {
    private let process: Process
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let received = Received()

    /// What the process printed so far.
    private final class Received: Sendable {
        let state = Mutex<(lines: [String], partial: Data, errors: String)>(([], Data(), ""))

        func withLock<Value>(_ body: (inout (lines: [String], partial: Data, errors: String)) -> Value) -> Value {
            state.withLock { body(&$0) }
        }
    }

    init(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = ForumProcess.executable
        process.arguments = arguments
        process.environment = ForumProcess.environment(
            ["FORUM_DATABASE": directory.appendingPathComponent("forum.sqlite").path].merging(environment) { $1 }
        )
        process.currentDirectoryURL = directory
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        output.fileHandleForReading.readabilityHandler = { [received] handle in
            let data = handle.availableData
            received.withLock { received in
                received.partial += data
                while let newline = received.partial.firstIndex(of: UInt8(ascii: "\n")) {
                    received.lines.append(String(decoding: received.partial[received.partial.startIndex..<newline], as: UTF8.self))
                    received.partial = Data(received.partial[received.partial.index(after: newline)...])
                }
            }
        }
        errors.fileHandleForReading.readabilityHandler = { [received] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            received.withLock { $0.errors += text }
        }
        try process.run()
    }

    func send(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// End of input, as Ctrl+D.
    func closeInput() throws {
        try input.fileHandleForWriting.close()
    }

    var lines: [String] { received.withLock { $0.lines } }
    var errorText: String { received.withLock { $0.errors } }

    /// Waits (up to 20 s) until `condition` holds of what the process printed.
    func waitUntil(_ what: String, _ condition: (_ lines: [String], _ errors: String) -> Bool) throws {
        let deadline = Date().addingTimeInterval(20)
        while !received.withLock({ condition($0.lines, $0.errors) }) {
            guard Date() < deadline, process.isRunning || received.withLock({ condition($0.lines, $0.errors) }) else {
                Issue.record("waited in vain for \(what); stdout: \(lines.suffix(3)), stderr: \(errorText)")
                throw CancellationError()
            }
            usleep(10_000)
        }
    }

    /// Sends `signal` and waits for the process to end.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    func waitForExit() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }
}

@Suite(.serialized) struct DeskCLITests {
    let forum: ForumProcess

    init() throws {
        forum = try ForumProcess()
    }

    private func serve(port: Int) throws -> RunningForum {
        let server = try RunningForum(["serve", "--port", String(port)], in: forum.directory)
        try server.waitUntil("the server to listen") { _, errors in errors.contains("http://127.0.0.1:\(port)") }
        return server
    }

    private struct Shown: Decodable {
        var result: CheckInResult
        var offline: Bool
        var nonce: String
    }

    private struct Kept: Decodable {
        var nonce: String
        var result: CheckInResult
        var source: String
    }

    /// Every answer a desk printed, decoded.
    private func shown(_ desk: RunningForum) throws -> [Shown] {
        try desk.lines.map { try JSONDecoder().decode(Shown.self, from: Data($0.utf8)) }
    }

    private func trail() throws -> [Kept] {
        let listing = try forum.run("checkins", "list", "--json", "--limit", "1000")
        return try JSONDecoder().decode([Kept].self, from: Data(listing.stdout.utf8))
    }

    @Test func aDeskKilledOfflineAndAgainMidUploadLosesNoScanAndDoublesNone() throws {
        #expect(try forum.run("demo", "roster", "--count", "60", "--seed", "8", "--output", "roster.csv").status == 0)
        #expect(try forum.run("participants", "import", "roster.csv").status == 0)
        let verifier = try forum.run("keys", "init").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let tomorrow = ForumTime().isoDay(Date().addingTimeInterval(86_400))
        #expect(try forum.run("checkins", "open", "entrance", "--until", "\(tomorrow) 20:00").status == 0)
        let token = try forum.run("tokens", "create", "--role", "desk", "--name", "Вход 3").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let signer = BadgeSigner(
            key: try BadgeKeys.load(at: forum.directory.appendingPathComponent("forum.key").path), edition: try #require(BadgeVerifier(verifier)).edition
        )
        func code(_ id: Int64) throws -> String { try signer.code(for: BadgeCredential(participantID: id, serial: 1)) }
        let port = try LocalSocket.freePort()
        let deskArguments = ["desk", "--server", "http://127.0.0.1:\(port)", "--desk", "Вход 3", "--state", "desk.sqlite", "--json"]

        var server = try serve(port: port)
        let desk = try RunningForum(deskArguments, in: forum.directory, environment: ["FORUM_DESK_TOKEN": token])
        for id: Int64 in 1...3 { desk.send(try code(id)) }
        try desk.waitUntil("three online answers") { lines, _ in lines.count == 3 }
        #expect(try shown(desk).allSatisfy { $0.result == .ok && !$0.offline })

        // The server goes away: the desk answers by itself, and each answer it showed is on its disk.
        server.stop()
        for scan in 0..<240 { desk.send(try code(Int64(4 + scan % 57))) }  // 57 people, then each again
        try desk.waitUntil("240 offline answers") { lines, _ in lines.count == 243 }
        let offline = try shown(desk).suffix(240)
        #expect(offline.allSatisfy { $0.offline })
        #expect(offline.map(\.result) == Array(repeating: .ok, count: 57) + Array(repeating: .alreadyCheckedIn, count: 183))
        desk.stop(SIGKILL)  // mid-queue: 240 waiting

        // The server is back; a new desk process uploads, and is killed as soon as uploads begin.
        server = try serve(port: port)
        let again = try RunningForum(deskArguments, in: forum.directory, environment: ["FORUM_DESK_TOKEN": token])
        let deadline = Date().addingTimeInterval(20)
        while try trail().count <= 3, Date() < deadline { usleep(5_000) }
        again.stop(SIGKILL)
        let midway = try trail().count
        #expect(midway > 3)

        // A third start finishes the queue and leaves (end of input).
        let last = try RunningForum(deskArguments, in: forum.directory, environment: ["FORUM_DESK_TOKEN": token])
        try last.closeInput()
        #expect(last.waitForExit() == 0, "\(last.errorText)")
        server.stop()

        let kept = try trail()
        let shownScans = try shown(desk)
        #expect(kept.count == shownScans.count, "kept \(kept.count) of \(shownScans.count) (\(midway) before the second kill)")
        #expect(Set(kept.map(\.nonce)).count == kept.count, "a scan was written twice")
        let byNonce = Dictionary(uniqueKeysWithValues: kept.map { ($0.nonce, $0) })
        for scan in shownScans {
            let stored = try #require(byNonce[scan.nonce], "the scan \(scan.nonce) the desk showed is lost")
            #expect(stored.result == scan.result && stored.source == (scan.offline ? "offline" : "online"))
        }
    }

    @Test func aVolunteerReprintsALostBadgeAtTheDeskAndTheDesksPrinterGetsTheNewOne() throws {
        #expect(try forum.run("demo", "roster", "--count", "20", "--seed", "9", "--output", "roster.csv").status == 0)
        #expect(try forum.run("participants", "import", "roster.csv").status == 0)
        #expect(try forum.run("keys", "init").status == 0)
        let tomorrow = ForumTime().isoDay(Date().addingTimeInterval(86_400))
        #expect(try forum.run("checkins", "open", "entrance", "--until", "\(tomorrow) 20:00").status == 0)
        let reprinting = try forum.run("tokens", "create", "--role", "desk", "--name", "Вход 3", "--may-reprint").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let plain = try forum.run("tokens", "create", "--role", "desk", "--name", "Вход 4").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let oldCode = try forum.run("badges", "code", "1").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(forum.run("participants", "show", "1", "--json").stdout.utf8)) as? [String: Any])
        let surname = try #require(shown["lastName"] as? String)

        // A stand-in for CUPS' lp, first on the PATH: it keeps the PDF it was given and answers as lp does.
        let bin = forum.directory.appendingPathComponent("bin")
        let printed = forum.directory.appendingPathComponent("printed")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: printed, withIntermediateDirectories: true)
        let lp = bin.appendingPathComponent("lp")
        try Data("""
            #!/bin/sh
            for file in "$@"; do :; done
            cp "$file" "\(printed.path)/badge.pdf" && echo "$@" > "\(printed.path)/arguments" && echo "request id is $2-7 (1 file(s))"
            """.utf8).write(to: lp)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: lp.path)
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")

        let port = try LocalSocket.freePort()
        let server = try serve(port: port)
        defer { server.stop() }
        func desk(_ token: String, name: String) throws -> RunningForum {
            try RunningForum(
                ["desk", "--server", "http://127.0.0.1:\(port)", "--desk", name, "--state", "\(name).sqlite", "--json", "--printer", "badges-3"],
                in: forum.directory, environment: ["FORUM_DESK_TOKEN": token, "PATH": path]
            )
        }
        /// Searches the surname and asks to reprint participant 1's line; the desk asks first.
        func askToReprint(at desk: RunningForum) throws {
            let before = desk.lines.count
            desk.send(surname)
            try desk.waitUntil("the search") { lines, _ in lines.count > before }
            let people = try #require(try JSONSerialization.jsonObject(with: Data(desk.lines[before].utf8)) as? [[String: Any]])
            let line = try #require(people.firstIndex { ($0["id"] as? Int) == 1 }) + 1
            desk.send("п \(line)")
            try desk.waitUntil("the question") { lines, _ in lines.last?.contains("\"confirm\"") == true }
        }
        func reprint(_ line: String) throws -> [String: Any] {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["reprint"] as? [String: Any])
        }

        // A desk not granted reprints is refused, and nothing changes.
        let refused = try desk(plain, name: "Вход 4")
        try askToReprint(at: refused)
        refused.send("да")
        try refused.waitUntil("the refusal") { lines, _ in lines.last?.contains("\"reprint\"") == true }
        #expect((try reprint(refused.lines.last!)["failure"] as? String)?.contains("не разрешено") == true)
        #expect(try forum.run("badges", "code", "1").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == oldCode)
        #expect(!FileManager.default.fileExists(atPath: printed.appendingPathComponent("badge.pdf").path))
        try refused.closeInput()
        _ = refused.waitForExit()

        // «нет» cancels; «да» reprints and prints.
        let volunteer = try desk(reprinting, name: "Вход 3")
        try askToReprint(at: volunteer)
        volunteer.send("нет")
        try volunteer.waitUntil("the cancellation") { lines, _ in lines.last == #"{"notice":"Перевыпуск отменён."}"# }
        try askToReprint(at: volunteer)
        volunteer.send("да")
        try volunteer.waitUntil("the reprint") { lines, _ in lines.last?.contains("\"reprint\"") == true }
        let outcome = try reprint(volunteer.lines.last!)
        #expect(outcome["failure"] == nil && outcome["serial"] as? Int == 2 && (outcome["printed"] as? String)?.contains("request id is badges-3-7") == true, "\(outcome)")
        #expect(try String(contentsOf: printed.appendingPathComponent("arguments"), encoding: .utf8).hasPrefix("-d badges-3 -t"))
        let newCode = try forum.run("badges", "code", "1").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(newCode != oldCode)
        let page = printed.appendingPathComponent("badge").path
        #expect(try ExternalTool.run("/usr/bin/pdftoppm", ["-r", "200", "-png", "-singlefile", page + ".pdf", page]).status == 0)
        let decoded = try ExternalTool.run("/usr/bin/zbarimg", ["--quiet", "--raw", page + ".png"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(decoded == newCode, "the printed badge carries the new code")

        // The lost badge no longer admits; the new one does.
        let answers = volunteer.lines.count
        volunteer.send(oldCode)
        volunteer.send(newCode)
        try volunteer.waitUntil("two answers") { lines, _ in lines.count == answers + 2 }
        #expect(volunteer.lines.suffix(2).map { $0.contains("\"result\":\"revoked\"") } == [true, false])
        #expect(volunteer.lines.last?.contains("\"result\":\"ok\"") == true)
        try volunteer.closeInput()
        #expect(volunteer.waitForExit() == 0)
        #expect(try forum.run("tokens", "list").stdout.contains("да"))
    }

    @Test func aBadgeKeyThatIsThereButUnusableStopsTheServerAndNoKeyOnlyWarns() throws {
        #expect(try forum.run("db", "migrate").status == 0)
        let key = forum.directory.appendingPathComponent("forum.key")
        #expect(FileManager.default.createFile(atPath: key.path, contents: Data("не ключ\n".utf8), attributes: [.posixPermissions: 0o600]))
        let corrupt = try forum.run("serve", "--port", "0")
        #expect(corrupt.status == 1 && corrupt.stderr.contains(key.path) && corrupt.stderr.contains("повреждён"), "\(corrupt.stderr)")

        try FileManager.default.removeItem(at: key)
        #expect(try forum.run("keys", "init").status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: key.path)
        let exposed = try forum.run("serve", "--port", "0")
        #expect(exposed.status == 1 && exposed.stderr.contains("chmod 600"), "\(exposed.stderr)")
        #expect(try forum.run("badges", "code", "1").status == 1)  // every badge command refuses it too

        try FileManager.default.removeItem(at: key)
        let port = try LocalSocket.freePort()
        let server = try RunningForum(["serve", "--port", String(port)], in: forum.directory)
        try server.waitUntil("the server to listen without a key") { _, errors in
            errors.contains("нет ключа подписи бейджей") && errors.contains("http://127.0.0.1:\(port)")
        }
        #expect(server.stop() == 0)
    }

    @Test func withoutAServerOrACopyTheDeskSaysSoAndExitsOne() throws {
        let result = try forum.run(
            ["desk", "--server", "http://127.0.0.1:\(try LocalSocket.freePort())", "--desk", "Вход 3", "--timeout", "0.1"],
            environment: ["FORUM_DESK_TOKEN": "fo_x"]
        )
        #expect(result.status == 1)
        #expect(result.stderr.contains("Сохранённого снимка нет"))
        #expect(try forum.run(["desk", "--server", "10.0.0.2", "--desk", "Вход 3"], environment: ["FORUM_DESK_TOKEN": "fo_x"]).status == 2)
        #expect(try forum.run(["desk", "--server", "https://10.0.0.2", "--desk", "Вход 3"], environment: [:]).stderr.contains("FORUM_DESK_TOKEN"))
        // Plain HTTP to another machine: refused unless asked for by name.
        let plain = try forum.run(["desk", "--server", "http://10.0.0.2:8080", "--desk", "Вход 3"], environment: ["FORUM_DESK_TOKEN": "fo_x"])
        #expect(plain.status == 2 && plain.stderr.contains("--insecure-http"), "\(plain.stderr)")
        // A desk name or list that could paint the screen never starts a desk.
        let painted = try forum.run(["desk", "--server", "https://10.0.0.2", "--desk", "Вход\u{1B}[2J"], environment: ["FORUM_DESK_TOKEN": "fo_x"])
        #expect(painted.status == 2 && painted.stderr.contains("U+001B (ESC)"), "\(painted.stderr)")
    }
}
