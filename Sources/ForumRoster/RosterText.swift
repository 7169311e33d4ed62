import ForumDomain
import Foundation

/// Turns the bytes of a CSV file into text, whatever Russian Excel saved: UTF-8 with or without
/// a BOM, UTF-16 («Юникод»), or Windows-1251.
public enum RosterText {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 с BOM"
        case utf16 = "UTF-16"
        case windows1251 = "Windows-1251"
    }

    /// The decoded text and the encoding it was in.
    public static func decode(_ data: Data) -> (text: String, encoding: Encoding)? {
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            return String(data: data.dropFirst(3), encoding: .utf8).map { ($0, .utf8BOM) }
        }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            return String(data: data, encoding: .utf16).map { ($0, .utf16) }
        }
        if let text = String(data: data, encoding: .utf8) {
            return (text, .utf8)
        }
        return String(data: data, encoding: .windowsCP1251).map { ($0, .windows1251) }
    }

    /// The delimiter the header line uses most: `;` (Russian Excel), `,` or a tab.
    static func delimiter(of text: String) -> UnicodeScalar {
        let header = text.unicodeScalars.prefix { $0 != "\n" && $0 != "\r" }
        let candidates: [UnicodeScalar] = [";", ",", "\t"]
        let counts = candidates.map { candidate in header.count(where: { $0 == candidate }) }
        return candidates[counts.firstIndex(of: counts.max()!)!]
    }
}

/// Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first). Validation keeps
/// such values out of the database; this guards what reaches a file anyway, such as the rejected
/// rows of an import, and reads such files back: `restored(defused(x)) == x` for every `x`.
enum SpreadsheetCell {
    private static let triggers = Set("=+-@\t\r".unicodeScalars)

    /// The cell as plain text: a leading apostrophe before a formula trigger (or before an
    /// apostrophe that would otherwise be taken for ours).
    /// Only printable text reaches the file, whatever is stored.
    static func defused(_ cell: String) -> String {
        let cell = PlainText.printable(cell, keepingLineBreaks: true)
        return needsApostrophe(cell.unicodeScalars[...]) ? "'" + cell : cell
    }

    /// The value of a cell written by `defused`.
    static func restored(_ cell: String) -> String {
        let scalars = cell.unicodeScalars
        guard scalars.first == "'", needsApostrophe(scalars.dropFirst()) else { return cell }
        return String(scalars.dropFirst())
    }

    private static func needsApostrophe(_ scalars: Substring.UnicodeScalarView) -> Bool {
        guard let first = scalars.first else { return false }
        return triggers.contains(first) || first == "'" && needsApostrophe(scalars.dropFirst())
    }
}
