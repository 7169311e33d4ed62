#if FUZZING
import CLibFuzzer
#endif
import Crypto
import ForumAgenda
import ForumAPI
import ForumCredentials
import ForumDomain
import ForumRoster
import ForumWorkbook
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
    /// An Excel workbook handed over as a roster (a ZIP archive of XML parts).
    case workbook

    /// Reads `data` as this target's input; a broken property stops the process (a finding).
    public func run(_ data: Data) {
        switch self {
        case .badgeCode: Self.badgeCode(data)
        case .rosterCSV: Self.roster(data)
        case .agendaYAML: Self.agenda(data)
        case .scanRequest: Self.scan(data)
        case .workbook: Self.workbook(data)
        }
    }

    /// Seeds made at run time rather than kept as binary files: workbooks forumops' own writer
    /// makes (a roster, typed cells, a sheet with only a header).
    public var generatedSeeds: [Data] {
        guard self == .workbook else { return [] }
        let moment = Date(timeIntervalSince1970: 1_800_000_000)
        let tables = [
            WorkbookTable(sheet: "Участники", columns: RosterWriter.formColumns, rows: [
                ["Ёлкина", "Алёна", "Сергеевна", "elkina@mail.ru", "8 912 345-67-89", "Респ. Татарстан", "Город Казань", "Мэрия", "Глава", "", "A-1"].map { .text($0) },
                ["Фёдоров", "Пётр", "", "fedorov@mail.ru", "", "54", "Бердск", "", "", "спикер", ""].map { .text($0) },
            ]),
            WorkbookTable(sheet: "Лист1", columns: ["ФИО", "E-mail", "Регион", "МО", "Дата"], rows: [
                [.text("Иванов Иван"), .text("i@x.ru"), .number(16), .text("Казань"), .moment(moment, shown: "")],
                [.text("=1+1"), .empty, .number(7.5), .text("<&>"), .empty],
            ]),
            WorkbookTable(sheet: "Пусто", columns: ["Фамилия", "Имя"], rows: []),
        ]
        return tables.map { try! WorkbookWriter.xlsx($0, title: "fuzz", timeZone: TimeZone(identifier: "Europe/Moscow")!, now: moment) }
    }

    /// The executable's entry: built with `-sanitize=fuzzer -D FUZZING`, libFuzzer's driver with
    /// the command line (corpus folders, `-max_total_time=…`); otherwise a replay of the files
    /// named on it.
    public func main() {
        let arguments = CommandLine.arguments
        if arguments.count == 3, arguments[1] == "--write-seeds" {
            for (index, seed) in generatedSeeds.enumerated() {
                FileManager.default.createFile(atPath: arguments[2] + "/generated-\(index).bin", contents: seed)
            }
            return
        }
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

    private static func workbook(_ data: Data) {
        if let workbook = try? WorkbookReader(data: data) {
            for sheet in workbook.sheetNames { _ = try? workbook.rows(ofSheet: sheet) }
        }
        guard let roster = try? RosterFile(workbook: data) else { return }
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
