/// Syntax checks and canonical forms for e-mail addresses, phone numbers and personal names.
/// They work on Unicode scalars: every row of an import goes through them.
enum ContactSyntax {
    /// Lower-cased address if it looks deliverable: one `@`, a non-empty local part, a domain with
    /// a dot and a top-level part of letters (Cyrillic domains such as `мэрия.рф` included).
    static func normalisedEmail(_ text: String) -> String? {
        let email = text.lowercased()
        let parts = email.unicodeScalars.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let local = parts[0]
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard !local.isEmpty, local.count <= 64, local.first != ".", local.last != ".",
              let first = local.first, FreeText.isSafe(String(first)),
              !zip(local, local.dropFirst()).contains(where: { $0 == "." && $1 == "." }),
              local.allSatisfy({ isLetterOrDigit($0) || localSymbols.contains($0) }),
              labels.count >= 2, let top = labels.last, top.count >= 2, top.allSatisfy(isLetter),
              labels.allSatisfy({ label in
                  !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                      && label.allSatisfy { isLetterOrDigit($0) || $0 == "-" }
              })
        else { return nil }
        return email
    }

    private static let localSymbols = Set("._%+-'!#$&*/=?^`{|}~".unicodeScalars)

    /// The number in international form (`+79123456789`). Russian habits are understood:
    /// `8 (912) 345-67-89`, `7912…`, `912…` (ten digits); other countries need a `+` before
    /// the first digit (`+375 29…`, `(+375) 29…`).
    static func normalisedPhone(_ text: String) -> String? {
        var digits = ""
        var international = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "0"..."9": digits.unicodeScalars.append(scalar)
            case "+" where digits.isEmpty && !international: international = true
            case " ", "(", ")", "-", ".": continue
            default: return nil
            }
        }
        if international {
            return (10...15).contains(digits.count) ? "+" + digits : nil
        }
        switch (digits.count, digits.first) {
        case (11, "8"), (11, "7"): return "+7" + digits.dropFirst()
        case (10, "9"), (10, "4"), (10, "3"), (10, "8"): return "+7" + digits
        default: return nil
        }
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0x0400...0x04FF: true
        case 0..<0x80: false
        default: scalar.properties.isAlphabetic
        }
    }

    static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || isLetter(scalar)
    }
}

/// E-mail addresses as forumops stores them.
public enum EmailAddress {
    /// The address lower-cased if it looks deliverable, else `nil`.
    public static func normalised(_ text: String) -> String? {
        ContactSyntax.normalisedEmail(text)
    }
}

/// What a personal name may contain.
enum PersonName {
    private static let joiners = Set(" -'’.".unicodeScalars)

    /// Letters of any alphabet, with spaces, hyphens and apostrophes between them
    /// («Салтыков-Щедрин», «Мамед оглы», «Д'Артаньян»); it may end with a dot (an initial).
    static func isAcceptable(_ name: String) -> Bool {
        let scalars = name.unicodeScalars
        guard let first = scalars.first, let last = scalars.last,
              ContactSyntax.isLetter(first), ContactSyntax.isLetter(last) || last == "."
        else { return false }
        return scalars.allSatisfy { ContactSyntax.isLetter($0) || joiners.contains($0) }
    }
}

/// Free text that is safe to hand to a spreadsheet.
enum FreeText {
    /// Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula: a registration
    /// form must not be able to plant one in the organisers' exports.
    static func isSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return true }
        return !"=+-@".unicodeScalars.contains(first)
    }
}
