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
        return Windows1251.decode(data).map { ($0, .windows1251) }
    }

    /// The delimiter the header line uses most: `;` (Russian Excel), `,` or a tab.
    static func delimiter(of text: String) -> UnicodeScalar {
        let header = text.unicodeScalars.prefix { $0 != "\n" && $0 != "\r" }
        let candidates: [UnicodeScalar] = [";", ",", "\t"]
        let counts = candidates.map { candidate in header.count(where: { $0 == candidate }) }
        return candidates[counts.firstIndex(of: counts.max()!)!]
    }
}

/// Windows-1251, the encoding Russian Excel saves CSV in, decoded by its table: a 7,500-row
/// export in about a millisecond, where Foundation's general converter took tens.
enum Windows1251 {
    /// The text, or `nil` if a byte has no character (0x98).
    static func decode(_ data: Data) -> String? {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(data.count * 2)
        for byte in data {
            let scalar: UInt32 = switch byte {
            case 0x00..<0x80: UInt32(byte)
            case 0xC0...0xFF: 0x0410 + UInt32(byte - 0xC0)  // А–я
            default: UInt32(upperHalf[Int(byte - 0x80)])
            }
            guard scalar != 0 || byte == 0, let character = Unicode.Scalar(scalar) else { return nil }
            UTF8.encode(character) { utf8.append($0) }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// The characters of 0x80–0xBF (0 for 0x98, which has none).
    private static let upperHalf: [UInt16] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
        0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x0000, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
        0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
        0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
    ]
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

    /// Whether the first scalar after any leading apostrophes is a formula trigger (a loop: a
    /// cell of a million apostrophes must not take a million stack frames).
    private static func needsApostrophe(_ scalars: Substring.UnicodeScalarView) -> Bool {
        guard let first = scalars.first(where: { $0 != "'" }) else { return false }
        return triggers.contains(first)
    }
}
