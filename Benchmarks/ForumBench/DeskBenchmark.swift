import ForumCredentials
import ForumDesk
import ForumDomain
import ForumRoster
import ForumStore
import Foundation

/// The desk without its server: the time from a scanned code to an answer that is on the
/// desk's disk (signature check, the copy's lookups, the scan committed with synchronous=FULL).
struct DeskBenchmark {
    let forms: [ParticipantForm]
    let directory: URL

    func run() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register(forms.map { try RegistrationRow($0) })
        _ = try await database.openCheckInList("entrance", until: Date().addingTimeInterval(3600))
        let signer = BadgeSigner(key: try BadgeKeys.create(at: directory.appendingPathComponent("desk-bench.key").path), edition: try database.editionIdentity())
        let people = try await database.participants(matching: ParticipantFilter(page: Page(number: 1, size: nil))).items
        let codes = try people.map { try signer.code(for: $0) }

        let store = try DeskStore(path: directory.appendingPathComponent("desk.sqlite").path)
        // Nothing listens on port 9: the desk is offline from its first scan.
        let server = try DeskServer(url: "http://127.0.0.1:9", token: "x", timeout: .milliseconds(50))
        let desk = try Desk(list: "entrance", name: "bench", store: store, server: server, key: signer.verifier)
        let snapshot = try await database.deskSnapshot(list: "entrance")
        let taking = ContinuousClock.now
        try await desk.take(snapshot, whole: true)
        let taken = (ContinuousClock.now - taking) / .milliseconds(1)
        _ = await desk.checkIn(code: "FO-warm-up-the-desk-goes-offline-here-after-one-try")
        print("forumops desk benchmark: \(people.count) people in the desk's copy (taken in \(String(format: "%.0f", taken)) ms), offline, synchronous=FULL")
        for (label, scans) in [("first scans (ok)", codes.prefix(2000)), ("the same badges again (already checked in)", codes.prefix(2000))] {
            var times: [Double] = []
            for code in scans {
                let start = ContinuousClock.now
                let answer = await desk.checkIn(code: code)
                times.append((ContinuousClock.now - start) / .milliseconds(1))
                precondition(answer.offline && answer.failure == nil)
            }
            times.sort()
            print(String(format: "  %@: median %.2f ms, p99 %.2f ms, worst %.2f ms over %d scans, target < 5 ms", label, times[times.count / 2], times[times.count * 99 / 100], times.last!, times.count))
        }
        let waiting = await desk.counters().waiting
        print("  waiting to upload afterwards: \(waiting)")
        await server.shutdown()
    }
}
