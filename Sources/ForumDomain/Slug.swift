/// The short Latin name of a room, a session, a list or a forum: lower-case Latin letters,
/// digits and single hyphens (`kruglyj-stol-1`), at most 100 characters — safe in addresses,
/// file names and on any screen.
public enum Slug {
    public static let maximumLength = 100

    /// Whether `text` is a slug.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        var previous: UInt8 = 0x2D  // a hyphen may not come first
        for byte in text.utf8 {
            switch byte {
            case 0x61...0x7A, 0x30...0x39: break
            case 0x2D where previous != 0x2D: break
            default: return false
            }
            previous = byte
        }
        return previous != 0x2D && text.utf8.count <= maximumLength
    }

    /// Why `text` is not a slug, or `nil`.
    public static func problem(_ text: String) -> String? {
        isValid(text) ? nil : "«\(PlainText.printable(String(text.prefix(maximumLength))))» — только строчные латинские буквы, цифры и дефисы (например, kruglyj-stol-1), до \(maximumLength) символов"
    }
}
