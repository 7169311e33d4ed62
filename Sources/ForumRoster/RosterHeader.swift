import ForumDomain

/// How a file's header row is read: the column each title stands for, by the organiser's
/// mapping first and the built-in titles after. It never guesses: a title that could mean two
/// columns, two titles for one field, a mapped title the file lacks and a missing required
/// column are all refused, with the `--column` option that resolves each.
struct RosterHeader {
    /// The column at each position of a row; `nil` where nothing is read.
    let columns: [RosterColumn?]
    /// The file's own title for each field it has.
    let titles: [ParticipantField: String]
    /// Titles of the columns not read: unknown ones, and built-in ones whose field the mapping
    /// gives to another column.
    let ignored: [String]

    static let required: [ParticipantField] = [.lastName, .firstName, .email, .regionCode, .municipality]

    init(_ header: [String], mapping: RosterColumnMapping) throws(RosterRefusal) {
        var problems: [RosterProblem] = []
        let columns = Self.recognised(header, over: Self.mapped(header, by: mapping, problems: &problems), problems: &problems)
        let titles = Self.titles(header, columns, problems: &problems)
        let unread = header.indices.filter { columns[$0] == nil && !header[$0].isEmpty }.map { header[$0] }
        for field in Self.required where titles[field] == nil {
            problems.append(RosterProblem(line: 1, column: nil, message: Self.missing(field, unread: unread)))
        }
        guard problems.isEmpty else { throw RosterRefusal(problems) }
        self.columns = columns
        self.titles = titles
        ignored = unread
    }

    /// The columns the mapping gives, by position; a mapped title the file lacks is a problem.
    private static func mapped(_ header: [String], by mapping: RosterColumnMapping, problems: inout [RosterProblem]) -> [RosterColumn?] {
        var mapped = [RosterColumn?](repeating: nil, count: header.count)
        for entry in mapping.entries {
            let key = RussianText.searchKey(entry.title)
            let positions = header.indices.filter { RussianText.searchKey(header[$0]) == key }
            if positions.isEmpty {
                let closest = closest(among: header, to: [(RosterTitle(entry.title), entry.column)])
                problems.append(RosterProblem(
                    line: 1, column: nil,
                    message: "в файле нет столбца «\(entry.title)» (\(entry.origin))" + (closest.map { "; похожий столбец: «\($0.title)»" } ?? "")
                ))
            }
            for position in positions { mapped[position] = entry.column }
        }
        return mapped
    }

    /// `mapped`, with the built-in titles for the other positions, except those for a field the
    /// mapping already gives; a title with two meanings is a problem.
    private static func recognised(_ header: [String], over mapped: [RosterColumn?], problems: inout [RosterProblem]) -> [RosterColumn?] {
        let mappedFields = Set(mapped.flatMap { $0?.fields ?? [] })
        return zip(header, mapped).map { title, mapped in
            if let mapped { return mapped }
            let candidates = RosterColumn.candidates(forTitle: title)
            guard candidates.count < 2 else {
                let meanings = candidates.sorted { $0.name < $1.name }
                problems.append(RosterProblem(
                    line: 1, column: title,
                    message: "может означать " + meanings.map { "«\($0.title)»" }.joined(separator: " или ")
                        + ": укажите " + meanings.map { option(title, $0) }.joined(separator: " или ")
                ))
                return nil
            }
            return candidates.first.flatMap { mappedFields.isDisjoint(with: $0.fields) ? $0 : nil }
        }
    }

    /// The title of each field's column; a second column for a field is a problem.
    private static func titles(_ header: [String], _ columns: [RosterColumn?], problems: inout [RosterProblem]) -> [ParticipantField: String] {
        var titles: [ParticipantField: String] = [:]
        for (title, column) in zip(header, columns) {
            if let field = column?.fields.first(where: { titles[$0] != nil }), let earlier = titles[field] {
                problems.append(RosterProblem(
                    line: 1, column: nil,
                    message: "столбцы «\(earlier)» и «\(title)» оба дают «\(field.russianName)»: укажите, какой не читать, например \(option(title, .skipped))"
                ))
            }
            for field in column?.fields ?? [] where titles[field] == nil { titles[field] = title }
        }
        return titles
    }

    /// «нет обязательного столбца «Регион»; похожий столбец в файле: «…» — укажите --column "…=region"».
    private static func missing(_ field: ParticipantField, unread: [String]) -> String {
        let message = "нет обязательного столбца «\(field.russianName)»"
        let wanted: [RosterColumn] = [.field(field)] + ([.lastName, .firstName].contains(field) ? [.fullName] : [])
        if let (title, column) = closest(among: unread, to: wanted.flatMap { column in RosterColumn.titles[column, default: []].map { ($0, column) } }) {
            return message + "; похожий столбец в файле: «\(title)» — укажите \(option(title, column))"
        }
        return message + (unread.isEmpty ? "" : "; если он есть под другим заголовком, укажите \(option("Заголовок в файле", .field(field)))")
    }

    /// Of `titles`, the one most like one of `wanted` (at least half of its words), with the
    /// column that one stands for.
    private static func closest(among titles: [String], to wanted: [(RosterTitle, RosterColumn)]) -> (title: String, column: RosterColumn)? {
        let scored = titles.flatMap { title in
            let words = RosterTitle(title)
            return wanted.map { (title: title, column: $0.1, likeness: words.likeness(to: $0.0)) }
        }
        return scored.filter { $0.likeness.covered >= 0.5 }
            .max { ($0.likeness.covered, $0.likeness.explained) < ($1.likeness.covered, $1.likeness.explained) }
            .map { ($0.title, $0.column) }
    }

    /// `--column "Title=field"`.
    private static func option(_ title: String, _ column: RosterColumn) -> String {
        "--column \"\(title)=\(column.name)\""
    }
}
