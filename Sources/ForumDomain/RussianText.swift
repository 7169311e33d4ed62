/// Text rules for Russian names and search. The work is done on Unicode scalars with fast paths
/// for ASCII and Cyrillic: it runs for every field of every row of a 7,500-row import.
public enum RussianText {
    /// The form used to compare and search: lower case, `ё` as `е`, single spaces, no edges.
    public static func searchKey(_ text: String) -> String {
        collapsingWhitespace(text, foldingCase: true)
    }

    /// Trims the edges and collapses inner runs of whitespace; `nil` when nothing is left.
    public static func tidy(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        if isTidy(text) { return text }
        let tidied = collapsingWhitespace(text, foldingCase: false)
        return tidied.isEmpty ? nil : tidied
    }

    /// Whether `text` has no whitespace at its edges and none but single spaces inside, decided
    /// on its bytes for ASCII and Cyrillic; any other character sends it the long way.
    private static func isTidy(_ text: String) -> Bool {
        var afterSpace = true
        for byte in text.utf8 {
            switch byte {
            case 0x20:
                if afterSpace { return false }
                afterSpace = true
            case 0x09...0x0D: return false
            case 0x00..<0x80, 0x80..<0xC0, 0xD0, 0xD1: afterSpace = false  // ASCII, a continuation, Cyrillic
            default: return false
            }
        }
        return !afterSpace
    }

    private static func collapsingWhitespace(_ text: String, foldingCase: Bool) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if isWhitespace(scalar) {
                pendingSpace = !utf8.isEmpty
                continue
            }
            if pendingSpace {
                utf8.append(0x20)
                pendingSpace = false
            }
            if foldingCase {
                appendLowercased(scalar, to: &utf8)
            } else {
                UTF8.encode(scalar) { utf8.append($0) }
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09...0x0D: true
        case 0x21..<0x80, 0x0400..<0x0500: false
        default: scalar.properties.isWhitespace
        }
    }

    /// Appends the lower-case form of one scalar as UTF-8, `ё` folded to `е`.
    private static func appendLowercased(_ scalar: Unicode.Scalar, to utf8: inout [UInt8]) {
        let value = scalar.value
        switch value {
        case 0x41...0x5A:  // A–Z
            utf8.append(UInt8(value + 0x20))
        case 0x00..<0x80:
            utf8.append(UInt8(value))
        case 0x0401, 0x0451:  // Ё, ё
            utf8.append(contentsOf: [0xD0, 0xB5])
        case 0x0410...0x044F:  // А–я
            let lower = value < 0x0430 ? value + 0x20 : value
            utf8.append(UInt8(0xC0 | (lower >> 6)))
            utf8.append(UInt8(0x80 | (lower & 0x3F)))
        default:
            for folded in scalar.properties.lowercaseMapping.unicodeScalars {
                UTF8.encode(folded) { utf8.append($0) }
            }
        }
    }
}

extension String {
    /// The string padded on the left to `length` characters («7» → «007»).
    public func leftPadded(to length: Int, with pad: Character = "0") -> String {
        count >= length ? self : String(repeating: pad, count: length - count) + self
    }
}
