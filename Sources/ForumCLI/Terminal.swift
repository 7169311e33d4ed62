import ForumDomain
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Output conventions: results on stdout, messages and progress on stderr, JSON when asked.
/// Only printable text reaches the terminal, whatever is stored (`PlainText.printable`).
enum Terminal {
    static func message(_ text: String) {
        FileHandle.standardError.write(Data((PlainText.printable(text, keepingLineBreaks: true) + "\n").utf8))
    }

    static func output(_ text: String) {
        FileHandle.standardOutput.write(Data((PlainText.printable(text, keepingLineBreaks: true) + "\n").utf8))
    }

    static func outputJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        FileHandle.standardOutput.write(try encoder.encode(value) + Data("\n".utf8))
    }

    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Clears a terminal for a redraw (`forum stats --watch`); nothing when stdout is piped.
    static func clearScreen() {
        guard isatty(STDOUT_FILENO) == 1 else { return }
        FileHandle.standardOutput.write(Data("\u{1B}[H\u{1B}[2J".utf8))
    }

    /// Left-aligned columns separated by two spaces.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let rows = rows.map { $0.map { PlainText.printable($0) } }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}

/// A progress bar on stderr when it is a terminal; silent when piped.
struct ProgressBar {
    let label: String
    let total: Int
    private let enabled = Terminal.standardErrorIsTerminal

    init(_ label: String, total: Int) {
        self.label = label
        self.total = total
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let width = 30
        let filled = total == 0 ? width : min(width, done * width / total)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
