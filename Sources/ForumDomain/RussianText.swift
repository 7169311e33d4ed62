import Foundation

/// Text rules for Russian names and search.
public enum RussianText {
    /// The form used to compare and search: lower case, `ё` as `е`, single spaces, no edges.
    public static func searchKey(_ text: String) -> String {
        var key = ""
        key.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for character in text.lowercased() {
            if character.isWhitespace {
                pendingSpace = !key.isEmpty
                continue
            }
            if pendingSpace {
                key.append(" ")
                pendingSpace = false
            }
            key.append(character == "ё" ? "е" : character)
        }
        return key
    }

    /// Trims the edges and collapses inner runs of whitespace; `nil` when nothing is left.
    public static func tidy(_ text: String?) -> String? {
        guard let text else { return nil }
        let words = text.split(whereSeparator: \.isWhitespace)
        return words.isEmpty ? nil : words.joined(separator: " ")
    }
}

extension String {
    /// The string padded on the left to `length` characters («7» → «007»).
    public func leftPadded(to length: Int, with pad: Character = "0") -> String {
        count >= length ? self : String(repeating: pad, count: length - count) + self
    }
}
