/// A federal subject's name as people write it in registration forms — «Новосибирская обл.»,
/// «Респ. Татарстан», «г. Москва», «ХМАО — Югра», «Кузбасс», «16», «обл. Новосибирская» —
/// read as what it says: the kind of subject, if it names one, and the other words, in any
/// order, case and `ё`/`е`, with hyphens, dashes, dots and brackets as spaces.
struct RegionName: Hashable {
    /// The kind of subject a name says it is.
    enum Kind: Hashable {
        case republic, krai, oblast, federalCity, autonomousOkrug, autonomousOblast
    }

    var kind: Kind?
    /// The words besides the kind, sorted: «кемеровская», «кузбасс».
    var words: [String]
    /// A code written among the words («16 — Республика Татарстан»).
    var code: String?

    /// Reads `text`; `nil` for a text that contradicts itself («край область», two codes) or
    /// has too many words to be a region's name.
    init?(_ text: String) {
        var words: Set<String> = []
        var kinds: Set<Kind> = []
        var codes: Set<String> = []
        var text = Substring(RussianText.searchKey(text))
        var count = 0
        while !text.isEmpty {
            let word = text.prefix { $0.isLetter || $0.isNumber }
            text = text[word.endIndex...].drop { !($0.isLetter || $0.isNumber) }
            if word.isEmpty { continue }
            // The longest official name has six words; a cell of many is not a region's name.
            count += 1
            guard count <= 12 else { return nil }
            if let number = Int(word) {
                guard (1...99).contains(number) else { return nil }
                codes.insert(number < 10 ? "0\(number)" : String(number))
            } else if let reading = Self.words[String(word)] {
                kinds.formUnion(reading.kind.map { [$0] } ?? [])
                words.formUnion(reading.words)
            } else {
                words.insert(String(word))
            }
        }
        // «автономная область»: «область» said the kind too.
        if kinds.contains(.autonomousOblast) { kinds.remove(.oblast) }
        guard kinds.count <= 1, codes.count <= 1 else { return nil }
        self.kind = kinds.first
        self.words = words.sorted()
        self.code = codes.first
    }

    /// How the words of a name read: kinds, their abbreviations, words that say nothing, and the
    /// everyday abbreviations of whole names.
    private static let words: [String: (kind: Kind?, words: [String])] = {
        var table: [String: (kind: Kind?, words: [String])] = [:]
        let kinds: [(Kind, [String])] = [
            (.republic, ["республика", "респ"]),
            (.krai, ["край", "кр"]),
            (.oblast, ["область", "обл"]),
            (.federalCity, ["г", "город", "гор"]),
            (.autonomousOkrug, ["округ", "окр", "автономный"]),
            (.autonomousOblast, ["автономная", "аобл"]),
        ]
        for (kind, words) in kinds { for word in words { table[word] = (kind, []) } }
        // «АО» is an autonomous okrug or an autonomous oblast: the other words decide.
        for word in ["федерального", "значения", "субъект", "рф", "россия", "российской", "федерации", "авт", "ао"] { table[word] = (nil, []) }
        let abbreviations: [(String, Kind, [String])] = [
            ("хмао", .autonomousOkrug, ["ханты", "мансийский"]),
            ("янао", .autonomousOkrug, ["ямало", "ненецкий"]),
            ("нао", .autonomousOkrug, ["ненецкий"]),
            ("чао", .autonomousOkrug, ["чукотский"]),
            ("еао", .autonomousOblast, ["еврейская"]),
            ("кбр", .republic, ["кабардино", "балкарская"]),
            ("кчр", .republic, ["карачаево", "черкесская"]),
            ("днр", .republic, ["донецкая", "народная"]),
            ("лнр", .republic, ["луганская", "народная"]),
            ("спб", .federalCity, ["санкт", "петербург"]),
        ]
        for (word, kind, words) in abbreviations { table[word] = (kind, words) }
        return table
    }()
}

extension FederalSubject {
    /// What a written region names.
    public enum Match: Sendable, Equatable {
        case subject(FederalSubject)
        /// The text fits more than one subject («Алтай»): forumops does not choose.
        case ambiguous([FederalSubject])
        case unknown
    }

    /// Finds the subject a registration form's region names: a code with or without its leading
    /// zero, the official name, or the names people write («Новосибирская обл.», «Респ.
    /// Татарстан», «г. Москва», «Moscow», «Чувашия», «Якутия», «Кузбасс», «ХМАО — Югра»,
    /// «Северная Осетия»), in any case and word order. A text that fits two subjects is
    /// `.ambiguous`, never a guess.
    public static func match(_ text: String) -> Match {
        // Most cells hold a code or the official name (exports of earlier imports, the demo).
        if let subject = byExactName[RussianText.searchKey(text)] { return .subject(subject) }
        guard let name = RegionName(text) else { return .unknown }
        var found: [FederalSubject] = []
        if !name.words.isEmpty {
            for (kind, subject) in byWords[name.words, default: []] where name.kind == nil || name.kind == kind {
                if !found.contains(subject) { found.append(subject) }
            }
        }
        if let code = name.code {
            guard let subject = byCode[code], found.isEmpty || found.contains(subject) else { return .unknown }
            // «16 обл.»: a kind the coded subject is not is a contradiction too.
            guard name.kind == nil || name.kind == kind(of: subject) else { return .unknown }
            // A code with a name that fits another subject is a contradiction, not a choice.
            guard name.words.isEmpty || !found.isEmpty else { return .unknown }
            return .subject(subject)
        }
        switch found.count {
        case 0: return .unknown
        case 1: return .subject(found[0])
        default: return .ambiguous(found.sorted { $0.code < $1.code })
        }
    }

    /// Why a written region names no single subject, in words for the person who wrote it.
    public static func refusal(for text: String) -> String {
        if case .ambiguous(let subjects) = match(text) {
            let names = subjects.map { "\($0.name) (\($0.code))" }.joined(separator: " или ")
            return "«\(text)» — неоднозначно: \(names); укажите название полностью или код региона"
        }
        return "«\(text)» — неизвестный регион: укажите код субъекта РФ (например, 16) или его название"
    }

    /// Each subject under its official name and its code, as `RussianText.searchKey` writes them.
    private static let byExactName: [String: FederalSubject] = Dictionary(
        uniqueKeysWithValues: all.flatMap { [(RussianText.searchKey($0.name), $0), ($0.code, $0)] }
    )

    /// Each subject under the words of every name it goes by: the official name, its parts
    /// around « — » and in brackets, and the everyday names.
    private static let byWords: [[String]: [(kind: RegionName.Kind?, subject: FederalSubject)]] = {
        var table: [[String]: [(kind: RegionName.Kind?, subject: FederalSubject)]] = [:]
        func add(_ text: String, _ subject: FederalSubject, kind: RegionName.Kind?) {
            guard let name = RegionName(text), !name.words.isEmpty else { return }
            table[name.words, default: []].append((name.kind ?? kind, subject))
        }
        for subject in all {
            let kind = kind(of: subject)
            let parts = subject.name.split(separator: " — ").map(String.init)
            for text in [subject.name] + (parts.count > 1 ? parts : []) {
                add(text, subject, kind: kind)
                if let bracket = text.firstIndex(of: "(") {
                    add(String(text[..<bracket]), subject, kind: kind)
                    add(String(text[bracket...]), subject, kind: kind)
                }
            }
        }
        for (text, code) in everydayNames {
            let subject = byCode[code]!
            add(text, subject, kind: kind(of: subject))
        }
        return table
    }()

    /// The kind a subject's official name says (the federal cities' names say none).
    private static func kind(of subject: FederalSubject) -> RegionName.Kind {
        RegionName(subject.name)?.kind ?? .federalCity
    }

    /// Names people use that the official ones do not contain. «Алтай» is both the Republic
    /// and the Krai: listed for each, it is refused as ambiguous unless the kind is written.
    private static let everydayNames: [(String, String)] = [
        ("Башкирия", "02"), ("Алтай", "22"), ("Чувашская Республика — Чувашия", "21"), ("Кабардино-Балкария", "07"), ("Карачаево-Черкесия", "09"),
        ("Осетия", "15"), ("Удмуртия", "18"), ("Чечня", "20"), ("Чувашия", "21"), ("Тува", "17"),
        ("Ставрополье", "26"), ("Приморье", "25"), ("Прикамье", "59"), ("Забайкалье", "75"), ("Кубань", "23"),
        ("Подмосковье", "50"), ("Ленобласть", "47"), ("Moscow", "77"), ("Петербург", "78"), ("Питер", "78"),
        ("Saint Petersburg", "78"), ("St. Petersburg", "78"),
    ]
}
