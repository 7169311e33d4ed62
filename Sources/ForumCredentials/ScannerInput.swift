import Foundation

/// What a USB scanner in keyboard mode typed, read back as the badge code it meant. A scanner
/// types keys, not letters: with the laptop's layout on Russian a Latin code arrives as the
/// ЙЦУКЕН letters on the same keys («Ащ…» for «FO…»), and with Caps Lock on in the other case.
/// Both are undone here; anything that is not a badge code afterwards is what a person typed
/// (a surname to search).
public enum ScannerInput {
    /// The text as the keys meant it on a Latin layout, upper case; `nil` if it contains a
    /// character no key of the layouts gives.
    public static func latin(_ typed: String) -> String? {
        var latin = ""
        for character in typed.trimmingCharacters(in: .whitespacesAndNewlines) {
            let lower = Character(character.lowercased())
            if let key = russianKeys[lower] {
                latin.append(key)
            } else if character.isASCII {
                latin.append(Character(character.uppercased()))
            } else {
                return nil
            }
        }
        return latin
    }

    /// The badge code in what was typed, if it looks like one (`FO…`, far longer than any
    /// surname): the desk then verifies it.
    public static func badgeCode(_ typed: String) -> String? {
        guard typed.count >= 32, let latin = latin(typed), latin.hasPrefix("FO") else { return nil }
        return latin
    }

    /// The Russian (ЙЦУКЕН) layout: the letter each key gives, mapped back to the key's Latin letter.
    private static let russianKeys: [Character: Character] = [
        "й": "Q", "ц": "W", "у": "E", "к": "R", "е": "T", "н": "Y", "г": "U", "ш": "I", "щ": "O", "з": "P", "х": "[", "ъ": "]",
        "ф": "A", "ы": "S", "в": "D", "а": "F", "п": "G", "р": "H", "о": "J", "л": "K", "д": "L", "ж": ";", "э": "'",
        "я": "Z", "ч": "X", "с": "C", "м": "V", "и": "B", "т": "N", "ь": "M", "б": ",", "ю": ".", "ё": "`",
    ]
}
