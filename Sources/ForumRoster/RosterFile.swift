import CSV
import ForumDomain
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

    public var rows: [Row]
    public var encoding: RosterText.Encoding
    public var delimiter: Character
    /// Titles of the columns that were not recognised and so not read.
    public var ignoredColumns: [String]
    /// The file's own title for each field, for messages.
    var titles: [ParticipantField: String]

    /// Reads a CSV file's bytes. Fails for undecodable text, a missing header, or missing
    /// required columns; individual bad values are left for `validate`.
    public init(data: Data) throws(RosterProblem) {
        guard let (text, encoding) = RosterText.decode(data) else {
            throw RosterProblem(line: nil, column: nil, message: "не удаётся прочитать текст: ожидается UTF-8 или Windows-1251")
        }
        let delimiter = RosterText.delimiter(of: text)
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false, delimiter: delimiter)
        } catch {
            throw RosterProblem(line: 1, column: nil, message: "не удаётся разобрать CSV: \(error)")
        }
        guard let header = reader.next(), header.contains(where: { !$0.isEmpty }) else {
            throw RosterProblem(line: 1, column: nil, message: "файл пуст: нет строки заголовков")
        }
        var columns: [RosterColumn?] = []
        var titles: [ParticipantField: String] = [:]
        var ignored: [String] = []
        for title in header {
            let column = RosterColumn(title: title)
            if case .field(let field)? = column {
                guard titles[field] == nil else {
                    throw RosterProblem(line: 1, column: title, message: "столбец повторяет «\(titles[field]!)»")
                }
                titles[field] = title
            } else if column == nil, !title.isEmpty {
                ignored.append(title)
            }
            columns.append(column)
        }
        if let index = columns.firstIndex(of: .fullName) {
            for field in [ParticipantField.lastName, .firstName, .patronymic] where titles[field] == nil {
                titles[field] = header[index]
            }
        }
        let missing = [ParticipantField.lastName, .firstName, .email, .regionCode, .municipality].filter { titles[$0] == nil }
        guard missing.isEmpty else {
            throw RosterProblem(
                line: 1, column: nil,
                message: "нет обязательных столбцов: " + missing.map { "«\($0.russianName)»" }.joined(separator: ", ")
                    + " (заголовки в файле: " + header.map { "«\($0)»" }.joined(separator: ", ") + ")"
            )
        }

        var rows: [Row] = []
        var line = 1 + Self.lineBreaks(in: header)
        while let cells = reader.next() {
            line += 1
            defer { line += Self.lineBreaks(in: cells) }
            guard cells.contains(where: { !$0.allSatisfy(\.isWhitespace) }) else { continue }
            var form = ParticipantForm()
            for (index, column) in columns.enumerated() {
                // A short row leaves its last cells empty: the same as empty cells.
                let cell = index < cells.count ? SpreadsheetCell.restored(cells[index]) : ""
                switch column {
                case .field(let field): form[field] = cell
                case .fullName: Self.splitFullName(cell, into: &form)
                case .exportOnly, nil: break
                }
            }
            rows.append(Row(line: line, form: form))
        }
        if let error = reader.error {
            throw RosterProblem(line: line, column: nil, message: "не удаётся разобрать CSV: \(error)")
        }
        self.rows = rows
        self.encoding = encoding
        self.delimiter = Character(delimiter)
        self.ignoredColumns = ignored
        self.titles = titles
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
        form.lastName = words.first
        form.firstName = words.count > 1 ? words[1] : nil
        form.patronymic = words.count > 2 ? words[2...].joined(separator: " ") : ""
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
