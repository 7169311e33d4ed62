import CSV
import ForumDomain
import ForumWorkbook
import Foundation

/// A problem with a roster file, pinned to its line and column where there is one.
public struct RosterProblem: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1-based line of the file (the header is line 1); `nil` for the file as a whole.
    public var line: Int?
    /// The column title as written in the file.
    public var column: String?
    public var message: String

    public init(line: Int?, column: String?, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// «строка 12, «E-mail»: сообщение».
    public var description: String {
        [line.map { "строка \($0)" }, column.map { "«\($0)»" }].compactMap { $0 }.joined(separator: ", ")
            + (line == nil && column == nil ? "" : ": ") + message
    }
}

/// Why a file cannot be read at all: every reason, each pinned to a line where there is one.
public struct RosterRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [RosterProblem]

    public init(_ problems: [RosterProblem]) {
        self.problems = problems
    }

    init(line: Int?, message: String) {
        self.init([RosterProblem(line: line, column: nil, message: message)])
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

/// A registration-form export read into participant forms, each with the line it starts on.
public struct RosterFile: Sendable {
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var form: ParticipantForm
    }

    /// A row that passed validation, with the fields the file has columns for.
    public struct ValidRow: Sendable, Hashable {
        public var line: Int
        public var details: ParticipantDetails
        public var provided: Set<ParticipantField>
    }

    /// Where the rows came from.
    public enum Source: Sendable, Hashable {
        case csv(encoding: RosterText.Encoding, delimiter: Character)
        /// A sheet of an Excel workbook, and every sheet it has.
        case workbook(sheet: String, sheets: [String])
    }

    public var rows: [Row]
    public var source: Source
    /// Titles of the columns not read: unknown ones, and built-in ones whose field the mapping
    /// gives to another column.
    public var ignoredColumns: [String]
    /// The file's own title for each field, for messages.
    var titles: [ParticipantField: String]
    /// Each title's column, counted from 0, for places in a workbook («Лист1!C4»).
    private var columnOfTitle: [String: Int]

    /// The CSV file's encoding; `nil` for a workbook.
    public var encoding: RosterText.Encoding? {
        if case .csv(let encoding, _) = source { encoding } else { nil }
    }

    /// The CSV file's delimiter; `nil` for a workbook.
    public var delimiter: Character? {
        if case .csv(_, let delimiter) = source { delimiter } else { nil }
    }

    /// Reads a CSV file's bytes, its columns by `mapping` first and the built-in titles after.
    /// Fails for undecodable text, a missing header, or a header `RosterHeader` refuses;
    /// individual bad values are left for `validate`.
    public init(data: Data, mapping: RosterColumnMapping = RosterColumnMapping()) throws(RosterRefusal) {
        guard let (text, encoding) = RosterText.decode(data) else {
            throw RosterRefusal(line: nil, message: "не удаётся прочитать текст: ожидается UTF-8 или Windows-1251")
        }
        let delimiter = RosterText.delimiter(of: text)
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false, delimiter: delimiter)
        } catch {
            throw RosterRefusal(line: 1, message: "не удаётся разобрать CSV: \(error)")
        }
        guard let header = reader.next() else { throw RosterRefusal(line: 1, message: "файл пуст: нет строки заголовков") }
        var lines: [(line: Int, cells: [String])] = []
        var line = 1 + Self.lineBreaks(in: header)
        while let cells = reader.next() {
            line += 1
            lines.append((line, cells))
            line += Self.lineBreaks(in: cells)
        }
        if let error = reader.error {
            throw RosterRefusal(line: line, message: "не удаётся разобрать CSV: \(error)")
        }
        try self.init(header: header, lines: lines, source: .csv(encoding: encoding, delimiter: Character(delimiter)), mapping: mapping)
    }

    /// Reads the sheet `sheet` (by default the first) of an Excel workbook: its first row that
    /// has any cell is the header, and each row's line is its number in the sheet.
    public init(workbook data: Data, sheet: String? = nil, mapping: RosterColumnMapping = RosterColumnMapping()) throws(RosterRefusal) {
        let read: (sheet: String, rows: [WorkbookReader.Row])
        let sheets: [String]
        do {
            let workbook = try WorkbookReader(data: data)
            sheets = workbook.sheetNames
            read = try workbook.rows(ofSheet: sheet)
        } catch {
            throw RosterRefusal(line: nil, message: error.description)
        }
        guard let header = read.rows.first else {
            throw RosterRefusal(line: 1, message: "лист «\(read.sheet)» пуст: нет строки заголовков")
        }
        try self.init(
            header: header.cells, lines: read.rows.dropFirst().map { ($0.number, $0.cells) },
            source: .workbook(sheet: read.sheet, sheets: sheets), mapping: mapping
        )
    }

    private init(header: [String], lines: [(line: Int, cells: [String])], source: Source, mapping: RosterColumnMapping) throws(RosterRefusal) {
        guard header.contains(where: { !$0.isEmpty }) else {
            throw RosterRefusal(line: 1, message: "файл пуст: нет строки заголовков")
        }
        let resolved = try RosterHeader(header, mapping: mapping)
        // A CSV cell may carry the apostrophe forumops puts before a formula's first character;
        // a workbook's text cell is never a formula, and its apostrophe is the person's own.
        let restored: (String) -> String = if case .csv = source { SpreadsheetCell.restored } else { { $0 } }
        var rows: [Row] = []
        rows.reserveCapacity(lines.count)
        for (line, cells) in lines {
            guard cells.contains(where: { !$0.allSatisfy(\.isWhitespace) }) else { continue }
            var form = ParticipantForm()
            for (index, column) in resolved.columns.enumerated() {
                // A short row leaves its last cells empty: the same as empty cells.
                let cell = index < cells.count ? restored(cells[index]) : ""
                switch column {
                case .field(let field): form[field] = cell
                case .fullName: Self.splitFullName(cell, into: &form)
                case .skipped, nil: break
                }
            }
            rows.append(Row(line: line, form: form))
        }
        self.rows = rows
        self.source = source
        self.ignoredColumns = resolved.ignored
        self.titles = resolved.titles
        var columnOfTitle: [String: Int] = [:]
        for (index, title) in header.enumerated() where columnOfTitle[title] == nil { columnOfTitle[title] = index }
        self.columnOfTitle = columnOfTitle
    }

    /// Where a line (and a column, by its title) is, for messages after the file's name: «31»
    /// in a CSV file, «Лист1!C4» in a workbook («Лист1!4:4» for the whole row).
    public func place(line: Int?, column: String? = nil) -> String? {
        guard case .workbook(let sheet, _) = source else { return line.map(String.init) }
        guard let line else { return sheet }
        guard let column, let index = columnOfTitle[column] else { return "\(sheet)!\(line):\(line)" }
        return "\(sheet)!\(WorkbookReader.columnName(index))\(line)"
    }

    /// Validates every row; the problems name the line and the column as titled in the file.
    public func validate(progress: (Int) -> Void = { _ in }) -> (valid: [ValidRow], problems: [RosterProblem]) {
        var valid: [ValidRow] = []
        var problems: [RosterProblem] = []
        valid.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            do {
                valid.append(ValidRow(line: row.line, details: try row.form.validated(), provided: row.form.providedFields))
            } catch {
                problems += error.errors.map { RosterProblem(line: row.line, column: title(of: $0.field), message: $0.message) }
            }
            if index % 500 == 499 { progress(index + 1) }
        }
        progress(rows.count)
        return (valid, problems)
    }

    /// The fields the file has columns for, in the usual order («ФИО» counts as the three names).
    public var fields: [ParticipantField] {
        ParticipantField.allCases.filter { titles[$0] != nil }
    }

    /// The file's title for a field's API name («E-mail», «Фамилия»…).
    public func title(of field: String) -> String {
        guard let field = ParticipantField(rawValue: field) else { return field }
        return titles[field] ?? field.russianName
    }

    private static func splitFullName(_ cell: String, into form: inout ParticipantForm) {
        let words = cell.split(whereSeparator: \.isWhitespace).map(String.init)
        form[.lastName] = words.first
        form[.firstName] = words.count > 1 ? words[1] : nil
        form[.patronymic] = words.count > 2 ? words[2...].joined(separator: " ") : ""
    }

    /// Line breaks inside quoted cells: the next record starts that many lines further down.
    private static func lineBreaks(in cells: [String]) -> Int {
        var breaks = 0
        for cell in cells {
            var previous: Unicode.Scalar = " "
            for scalar in cell.unicodeScalars {
                if scalar == "\n" && previous != "\r" || scalar == "\r" { breaks += 1 }
                previous = scalar
            }
        }
        return breaks
    }
}
