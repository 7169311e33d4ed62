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

    /// `run` over libFuzzer's buffer; always 0 (the input may join the corpus).
    public func run(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
        run(Data(bytes: bytes, count: count))
        return 0
    }

    /// Runs every file named on the command line (a finding, a corpus) and says how many.
    public func replayArguments() {
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
