import Foundation
import ForumCredentials

/// What a line typed or scanned at the desk asks for: the desk's console acts on it, and this
/// is where the reading is decided (and tested).
public enum DeskLine: Sendable, Hashable {
    /// Enter on an empty line: clear the search.
    case empty
    /// `?`: the help.
    case help
    /// A badge code, read back from whatever layout and case the scanner typed it in.
    case code(String)
    /// A number from the last search: check that person in.
    case pick(Int)
    /// `п 2` (or `печать 2`; `g 2` typed in the Latin layout): reprint the badge of that person
    /// from the last search, once confirmed.
    case reprint(Int)
    /// The beginning of a surname.
    case search(String)
    /// A long text that is not a badge (another QR code): refused as a badge that does not verify.
    case unreadable(String)

    /// Whether `answer` confirms what the desk asked («да»; «lf» in the Latin layout).
    public static func confirms(_ answer: String) -> Bool {
        ["да", "lf", "д", "l", "yes", "y"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    private static func reprintNumber(_ typed: String) -> Int? {
        let lowered = typed.lowercased()
        for word in ["печать", "п", "g", "p"] where lowered.hasPrefix(word) {
            if let number = Int(lowered.dropFirst(word.count).trimmingCharacters(in: .whitespaces)), number > 0, number < 100 { return number }
        }
        return nil
    }

    /// The longest text searched for as a surname.
    public static let longestSurname = 31

    public init(_ typed: String) {
        let typed = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        if typed.isEmpty {
            self = .empty
        } else if typed == "?" {
            self = .help
        } else if let code = ScannerInput.badgeCode(typed) {
            self = .code(code)
        } else if let number = Int(typed), number > 0, number < 100 {
            self = .pick(number)
        } else if let number = Self.reprintNumber(typed) {
            self = .reprint(number)
        } else if typed.count <= Self.longestSurname {
            self = .search(typed)
        } else {
            self = .unreadable(String(typed.prefix(512)))
        }
    }
}
