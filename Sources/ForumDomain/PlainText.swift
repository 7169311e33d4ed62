/// Text from outside is data, never control. A registration form, a CSV export, the agenda or a
/// desk's name must not carry what a terminal, a spreadsheet or a browser acts on: C0 control
/// characters other than tab and line breaks, DEL, C1 controls (ESC among them: `ESC[2J` wipes
/// a desk's screen) and the bidirectional overrides that reorder what a person reads
/// (U+202A–U+202E, U+2066–U+2069). They are refused where text enters (`problem(in:)`), and
/// whatever is stored is shown through `printable(_:)`.
public enum PlainText {
    /// Why `text` cannot be a field's value, naming the first offending character; `nil` if it can.
    public static func problem(in text: String) -> String? {
        guard let (offset, scalar) = text.unicodeScalars.enumerated().first(where: { isForbidden($0.element) }) else { return nil }
        let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        let name = names[scalar.value].map { " (\($0))" } ?? ""
        let kind = isBidirectional(scalar) ? "символ смены направления письма" : "управляющий символ"
        return "недопустимый \(kind) \(code)\(name) на позиции \(offset + 1): допустим только обычный текст"
    }

    /// `text` as a screen, a table or a file may show it: forbidden characters become «�», and
    /// tabs and line breaks spaces unless `keepingLineBreaks`. Text that needs nothing is
    /// returned as it is.
    public static func printable(_ text: String, keepingLineBreaks: Bool = false) -> String {
        func needsChange(_ scalar: Unicode.Scalar) -> Bool {
            isForbidden(scalar) || (!keepingLineBreaks && isLineBreakOrTab(scalar))
        }
        guard text.unicodeScalars.contains(where: needsChange) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isForbidden(scalar) {
                scalars.append("\u{FFFD}")
            } else if !keepingLineBreaks && isLineBreakOrTab(scalar) {
                scalars.append(" ")
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Text for HTML or XML: printable text only, the five characters with a meaning there as entities.
    public static func markup(_ text: String) -> String {
        let text = printable(text)
        // By UTF-8 byte, not by Character: the five are ASCII, and pages put many strings through here.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) else {
            return text
        }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): escaped += "&amp;".utf8
            case UInt8(ascii: "<"): escaped += "&lt;".utf8
            case UInt8(ascii: ">"): escaped += "&gt;".utf8
            case UInt8(ascii: "\""): escaped += "&quot;".utf8
            case UInt8(ascii: "'"): escaped += "&#39;".utf8
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    /// Whether a scalar is never accepted in text.
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20..<0x7F, 0xA0..<0x202A: false  // the fast path: ASCII and Cyrillic text
        case 0x09, 0x0A, 0x0D: false
        case 0x00..<0x20, 0x7F..<0xA0: true
        default: isBidirectional(scalar)
        }
    }

    private static func isBidirectional(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    private static func isLineBreakOrTab(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x09 || scalar.value == 0x0A || scalar.value == 0x0D
    }

    private static let names: [UInt32: String] = [
        0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI",
        0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO", 0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
    ]
}

extension PlainText {
    /// Why `value` cannot be `field`'s: a forbidden character, or more than `maximumLength`
    /// characters; `nil` if it can.
    public static func fieldError(_ value: String, field: String, maximumLength: Int) -> FieldError? {
        if let problem = problem(in: value) { return FieldError(field: field, message: problem) }
        guard value.count <= maximumLength else { return FieldError(field: field, message: "слишком длинно: больше \(maximumLength) символов") }
        return nil
    }

    /// A one-line value of `field` as it will be kept: tidied (`RussianText.tidy`), `nil` when
    /// nothing is left; refused, naming the field, if it holds a forbidden character or is longer
    /// than `maximumLength` characters.
    public static func line(_ value: String?, field: String, maximumLength: Int) throws(ValidationFailure) -> String? {
        guard let value else { return nil }
        let tidy = RussianText.tidy(value)
        if let error = fieldError(tidy ?? value, field: field, maximumLength: maximumLength) { throw ValidationFailure([error]) }
        return tidy
    }
}
