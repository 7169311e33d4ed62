import Crypto
import ForumBadges
import ForumCredentials
import ForumDomain
import ForumStore
import Foundation

/// Badges: signing and QR encoding per second in process, then the release `forum badges print`
/// of every participant into one PDF, with its wall time and peak memory.
struct BadgesBenchmark {
    let forms: [ParticipantForm]
    let directory: URL

    func run() async throws {
        let key = Curve25519.Signing.PrivateKey()
        let credentials = (1...forms.count).map { BadgeCredential(participantID: Int64($0), serial: 1) }
        var start = ContinuousClock.now
        let signer = BadgeSigner(key: key, edition: "0123456789abcdef")
        let codes = try credentials.map { try signer.code(for: $0) }
        let signing = ContinuousClock.now - start
        start = ContinuousClock.now
        for code in codes { _ = try signer.verifier.credential(code) }
        let verifying = ContinuousClock.now - start
        start = ContinuousClock.now
        var versions = Set<Int>()
        for code in codes { versions.insert(try QRCode(code).version) }
        let encoding = ContinuousClock.now - start
        print("forumops badge benchmark: \(forms.count) participants")
        print(String(format: "  sign badge codes (Ed25519)        %8.0f codes/s", Double(codes.count) / (signing / .seconds(1))))
        print(String(format: "  verify badge codes (Ed25519)      %8.0f codes/s", Double(codes.count) / (verifying / .seconds(1))))
        print(String(format: "  QR encodes (libqrencode, level M) %8.0f codes/s (versions %@)", Double(codes.count) / (encoding / .seconds(1)),
                     versions.sorted().map(String.init).joined(separator: ", ")))

        let database = directory.appendingPathComponent("badges.sqlite").path
        let store = try ForumDatabase.open(path: database)
        _ = try await store.register(forms.map { try RegistrationRow($0) })
        try store.close()
        _ = try BadgeKeys.create(at: BadgeKeys.defaultPath(besideDatabase: database))
        for sheet in ["single", "a4"] {
            let output = directory.appendingPathComponent("badges-\(sheet).pdf")
            let (seconds, peak) = try runForum(["badges", "print", "--database", database, "--out", output.path, "--sheet", sheet])
            let size = (try FileManager.default.attributesOfItem(atPath: output.path)[.size] as? Int) ?? 0
            print(String(format: "  forum badges print --sheet %@: %d badges in %.2f s, peak RSS %.0f MB, PDF %.1f MB (target < 15 s)",
                         sheet, forms.count, seconds, Double(peak) / 1024, Double(size) / 1_048_576))
        }
    }

    /// Runs the release `forum` beside this binary; its wall time and the peak RSS (KiB) of it.
    private func runForum(_ arguments: [String]) throws -> (seconds: Double, peakKiB: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("forum")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        guard process.terminationStatus == 0 else { throw BenchmarkError("forum \(arguments.joined(separator: " ")) failed") }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return (seconds, usage.ru_maxrss)
    }
}
