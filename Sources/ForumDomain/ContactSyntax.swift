/// Syntax checks and canonical forms for e-mail addresses, phone numbers and personal names.
enum ContactSyntax {
    /// Lower-cased address if it looks deliverable: one `@`, a non-empty local part, a domain with
    /// a dot and a top-level part of letters (Cyrillic domains such as `мэрия.рф` included).
    static func normalisedEmail(_ text: String) -> String? {
        let email = text.lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
              !local.isEmpty, local.count <= 64,
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
              local.allSatisfy({ $0.isLetter || $0.isNumber || "._%+-'!#$&*/=?^`{|}~".contains($0) })
        else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last, top.count >= 2, top.allSatisfy(\.isLetter),
              labels.allSatisfy({ label in
                  !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                      && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
              })
        else { return nil }
        return email
    }

    /// The number in international form (`+79123456789`). Russian habits are understood:
    /// `8 (912) 345-67-89`, `7912…`, `912…` (ten digits); other countries need a leading `+`.
    static func normalisedPhone(_ text: String) -> String? {
        guard text.allSatisfy({ $0.isNumber || " ()-.+".contains($0) }),
              text.dropFirst().allSatisfy({ $0 != "+" })
        else { return nil }
        let digits = text.filter { $0.isASCII && $0.isNumber }
        guard digits.count == text.filter(\.isNumber).count else { return nil }
        if text.hasPrefix("+") {
            return (10...15).contains(digits.count) ? "+" + digits : nil
        }
        switch (digits.count, digits.first) {
        case (11, "8"), (11, "7"): return "+7" + digits.dropFirst()
        case (10, "9"), (10, "4"), (10, "3"), (10, "8"): return "+7" + digits
        default: return nil
        }
    }
}

/// What a personal name may contain.
enum PersonName {
    /// Letters of any alphabet, with single spaces, hyphens and apostrophes between them
    /// («Салтыков-Щедрин», «Мамед оглы», «Д'Артаньян»).
    static func isAcceptable(_ name: String) -> Bool {
        guard let first = name.first, let last = name.last, first.isLetter, last.isLetter || last == "." else {
            return false
        }
        return name.allSatisfy { $0.isLetter || " -'’.".contains($0) }
    }
}
