import Crypto
import ForumCredentials
import ForumDesk
import ForumDomain
import Testing

@Suite struct ScannerInputTests {
    let signer = BadgeSigner(key: Curve25519.Signing.PrivateKey(), edition: "3f2a9c0d1e2b4a5c")

    /// What a keyboard-mode scanner types for `code` with the Russian layout on: each Latin key
    /// gives its ЙЦУКЕН letter (upper case with Shift, lower case when Caps Lock inverts it).
    private func typedOnRussianLayout(_ code: String, capsLock: Bool) -> String {
        let keys: [Character: Character] = [
            "Q": "й", "W": "ц", "E": "у", "R": "к", "T": "е", "Y": "н", "U": "г", "I": "ш", "O": "щ", "P": "з",
            "A": "ф", "S": "ы", "D": "в", "F": "а", "G": "п", "H": "р", "J": "о", "K": "л", "L": "д",
            "Z": "я", "X": "ч", "C": "с", "V": "м", "B": "и", "N": "т", "M": "ь",
        ]
        return String(code.map { character in
            guard let letter = keys[character] else { return character }
            return capsLock ? letter : Character(letter.uppercased())
        })
    }

    @Test func aCodeTypedInAnyLayoutAndCaseReadsBack() throws {
        let code = try signer.code(for: BadgeCredential(participantID: 42, serial: 1))
        for typed in [code, code.lowercased(), typedOnRussianLayout(code, capsLock: false), typedOnRussianLayout(code, capsLock: true), code + "\n"] {
            let read = try #require(ScannerInput.badgeCode(typed), "\(typed)")
            #expect(try signer.verifier.credential(read) == BadgeCredential(participantID: 42, serial: 1))
        }
        #expect(typedOnRussianLayout(code, capsLock: false).hasPrefix("АЩ"))
    }

    @Test func whatAPersonTypesIsNotACode() {
        #expect(ScannerInput.badgeCode("Кузьмина") == nil)
        #expect(ScannerInput.badgeCode("ёлк") == nil)
        #expect(ScannerInput.badgeCode("") == nil)
        #expect(ScannerInput.badgeCode("Ащеулов") == nil)  // maps to «FO…» but is far shorter than a code: a surname to search
        #expect(ScannerInput.latin("ЧУЖОЙ") == "XE;JQ")
        #expect(ScannerInput.latin("№") == nil)
    }

    @Test func theDeskReadsEachLineAsOneThingToDo() throws {
        let code = try signer.code(for: BadgeCredential(participantID: 42, serial: 1))
        #expect(DeskLine(typedOnRussianLayout(code, capsLock: true) + "\n") == .code(code))
        #expect(DeskLine("  кузьм ") == .search("кузьм"))
        #expect(DeskLine("Ащеулов") == .search("Ащеулов"))
        #expect(DeskLine("3") == .pick(3))
        #expect(DeskLine("0") == .search("0"))
        #expect(DeskLine("?") == .help)
        #expect(DeskLine("   ") == .empty)
        let poster = "https://forum.example.ru/programme?utm_source=poster-at-the-door"
        #expect(DeskLine(poster) == .unreadable(poster))
        #expect(DeskLine(String(repeating: "x", count: 5000)) == .unreadable(String(repeating: "x", count: 512)))  // bounded
        // A reprint asks for a line of the last search, in either layout; surnames stay surnames.
        #expect(DeskLine("п 2") == .reprint(2) && DeskLine("П2") == .reprint(2) && DeskLine("печать 12") == .reprint(12) && DeskLine("g 3") == .reprint(3))
        #expect(DeskLine("Пётр") == .search("Пётр") && DeskLine("п") == .search("п") && DeskLine("п 100") == .search("п 100"))
        #expect(DeskLine.confirms(" Да ") && DeskLine.confirms("lf") && !DeskLine.confirms("нет") && !DeskLine.confirms(""))
    }
}
