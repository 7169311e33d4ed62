import ForumDomain

/// A column title as forumops compares it: lower case, `ё` = `е`, punctuation left out (a hyphen
/// joins: «E-mail» = «Email»; «№» stays a word) and so are the filler words of online-form
/// questions («Укажите ваш регион» = «Регион», «Контактный телефон *» = «Телефон»).
struct RosterTitle: Hashable {
    let words: [String]

    init(_ title: String) {
        self.init(words: Self.tokens(of: title).filter { !Self.alternativeMarks.contains($0) })
    }

    private init(words: some Sequence<String>) {
        self.words = Array(words)
    }

    /// Every way a file's title is looked up: as a whole, without the clarification in
    /// parentheses («Телефон (с кодом города)»), and each alternative of «Фамилия / Last name»
    /// or «E-mail или телефон».
    static func readings(of title: String) -> Set<RosterTitle> {
        let alternatives = tokens(of: title).split(whereSeparator: alternativeMarks.contains).map(RosterTitle.init(words:))
        return Set([RosterTitle(title), RosterTitle(withoutParentheses(title))] + alternatives).filter { !$0.words.isEmpty }
    }

    /// How close this title is to `wanted`, for suggestions: the share of `wanted`'s words found
    /// here, then (to prefer the shorter of two titles) the share of this title's words they are.
    /// From four letters on, a word also matches one within a third of its length in edits: a
    /// typo or another ending («телефона», «почты»).
    func likeness(to wanted: RosterTitle) -> (covered: Double, explained: Double) {
        let found = wanted.words.count(where: { word in words.contains { Self.sameWord($0, word) } })
        return (Double(found) / Double(max(wanted.words.count, 1)), Double(found) / Double(max(words.count, 1)))
    }

    /// Words and the `/` of alternatives, filler words left out.
    private static func tokens(of title: String) -> [String] {
        var text = ""
        for character in RussianText.searchKey(title) {
            switch character {
            case "-", "\u{2010}": break
            case "/", "№": text += " \(character) "
            case _ where character.isLetter || character.isNumber: text.append(character)
            default: text += " "
            }
        }
        return text.split(separator: " ").lazy.map(String.init).filter { !fillers.contains($0) }.prefix(maximumWords).map { $0 }
    }

    /// Words read of a title: a form's longest question has a dozen; a header cell of thousands
    /// (found by fuzzing: a few kilobytes of header took seconds to compare) is not a title.
    static let maximumWords = 24

    private static func withoutParentheses(_ title: String) -> String {
        var depth = 0
        return String(title.filter { character in
            if character == "(" { depth += 1 } else if character == ")" { depth = max(depth - 1, 0); return false }
            return depth == 0
        })
    }

    private static func sameWord(_ first: String, _ second: String) -> Bool {
        guard first != second else { return true }
        let (shorter, longer) = (min(first.count, second.count), max(first.count, second.count))
        // The distance is at least the difference in length: most pairs need no table.
        return shorter >= 4 && longer - shorter <= longer / 3 && editDistance(first, second) <= longer / 3
    }

    /// Levenshtein distance.
    private static func editDistance(_ first: String, _ second: String) -> Int {
        let first = Array(first), second = Array(second)
        var previous = Array(0...second.count)
        for (i, a) in first.enumerated() {
            var current = [i + 1]
            for (j, b) in second.enumerated() {
                current.append(min(previous[j] + (a == b ? 0 : 1), previous[j + 1] + 1, current[j] + 1))
            }
            previous = current
        }
        return previous[second.count]
    }

    private static let alternativeMarks: Set = ["/", "или", "либо", "or"]

    /// Words that online forms (Google, Yandex) put around a question and that name no field.
    private static let fillers: Set = [
        "ваш", "ваша", "ваше", "ваши", "вашего", "вашей", "вашу", "укажите", "введите", "напишите", "пожалуйста",
        "контактный", "контактная", "контактное", "контактные", "контактного", "полностью", "данные",
        "your", "please", "enter",
    ]
}
