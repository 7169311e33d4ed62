#if FUZZING
import CLibFuzzer
#endif
import Crypto
import ForumAgenda
import ForumAPI
import ForumCredentials
import ForumDomain
import ForumRoster
import Foundation

/// The readers of outside bytes that `make fuzz` feeds to libFuzzer, each with the properties it
/// must keep whatever arrives: no crash, no hang, nothing unbounded, and what it accepts is
/// sound. The fuzz executables call `run` for each input; the tests (`FuzzCorpusTests`) replay
/// the seed corpus and every finding through the same code.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// What a scanner typed (any layout, Caps Lock), read as a badge code and verified.
    case badgeCode = "badge-code"
    /// A registration form's CSV export, in any encoding.
    case rosterCSV = "roster-csv"
    /// A programme file.
    case agendaYAML = "agenda-yaml"
    /// The body of `POST /api/v1/checkins`.
    case scanRequest = "scan-request"

    /// Reads `data` as this target's input; a broken property stops the process (a finding).
    public func run(_ data: Data) {
        switch self {
        case .badgeCode: Self.badgeCode(data)
        case .rosterCSV: Self.roster(data)
        case .agendaYAML: Self.agenda(data)
        case .scanRequest: Self.scan(data)
        }
    }

    /// The executable's entry: built with `-sanitize=fuzzer -D FUZZING`, libFuzzer's driver with
    /// the command line (corpus folders, `-max_total_time=…`); otherwise a replay of the files
    /// named on it.
    public func main() {
        #if FUZZING
        Self.current = self
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        #else
        replay()
        #endif
    }

    #if FUZZING
    /// The target libFuzzer's callback runs (a C callback carries no context).
    nonisolated(unsafe) static var current = FuzzTarget.badgeCode
    #endif

    /// Runs every file named on the command line (a finding, a corpus) and says how many.
    private func replay() {
        let paths = CommandLine.arguments.dropFirst()
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { fatalError("\(path): cannot be read") }
            run(data)
        }
        print("\(rawValue): \(paths.count) inputs, no failure")
    }

    /// A signer with a fixed key, so that findings replay the same way.
    static let signer = BadgeSigner(key: try! Curve25519.Signing.PrivateKey(rawRepresentation: Data(repeating: 7, count: 32)), edition: "fuzz")

    private static func badgeCode(_ data: Data) {
        let typed = String(decoding: data, as: UTF8.self)
        let code = ScannerInput.badgeCode(typed) ?? typed
        _ = try? signer.verifier.credential(code)
        // Any id and serial, signed, typed back through either layout, reads as itself.
        guard data.count >= 6 else { return }
        let credential = BadgeCredential(
            participantID: Int64(data.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }), serial: Int(data[data.startIndex + 4]) << 8 | Int(data[data.startIndex + 5])
        )
        let signed = try! signer.code(for: credential)
        let read = try? signer.verifier.credential(ScannerInput.badgeCode(signed.lowercased()) ?? "")
        precondition(read == credential, "a signed code \(signed) did not read back as \(credential)")
    }

    private static func roster(_ data: Data) {
        guard let roster = try? RosterFile(data: data) else { return }
        let (valid, problems) = roster.validate()
        precondition(valid.count + Set(problems.compactMap(\.line)).count == roster.rows.count, "a row neither valid nor refused, or both")
    }

    private static func agenda(_ data: Data) {
        _ = try? AgendaReader.read(files: [(name: "fuzz.yaml", text: String(decoding: data, as: UTF8.self))])
    }

    private static func scan(_ data: Data) {
        guard let request = try? APIJSON.decoder.decode(ScanRequest.self, from: data) else { return }
        if request.problems.isEmpty {
            precondition(RussianText.tidy(request.desk) != nil && PlainText.problem(in: request.desk) == nil, "an accepted scan with an unusable desk")
            precondition(request.desk.count <= ScanRequest.Limit.desk && request.nonce.count <= ScanRequest.Limit.nonce, "an accepted scan beyond its bounds")
        }
    }
}

#if FUZZING
/// libFuzzer's callback for one input. Its archive's own `main` also refers to it by this name;
/// the executables' `main` (`FuzzTarget.main`) runs instead and hands it to the driver.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzTarget.current.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}
#endif
