import ArgumentParser
import ForumDomain
import ForumRoster
import ForumStore
import Foundation

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Импортировать участников из CSV регистрационной формы или книги Excel (.xlsx) — целиком или ничего.",
        discussion: """
            CSV: кодировка UTF-8 (с BOM или без), UTF-16 или Windows-1251; разделитель «;», «,» или табуляция. \
            Книга Excel (.xlsx) читается сама, без пересохранения в CSV: первый лист или --sheet; ошибки — как ФАЙЛ.xlsx:Лист1!C4. \
            Заголовки по-русски или по-английски (см. README); другие заголовки сопоставьте с полями через --column \
            или файл --columns. Тот же e-mail или номер заявки — тот же человек: \
            повторный импорт того же файла ничего не меняет. Если хоть одна строка с ошибкой, ничего не импортируется \
            и печатаются все ошибки со строкой и столбцом; --skip-invalid импортирует верные строки, а неверные \
            пишет в отдельный файл.
            """
    )

    @OptionGroup var options: ForumOptions

    @Argument(help: "CSV-файл или книга Excel (.xlsx).")
    var file: String

    @Option(help: ArgumentHelp("Лист книги Excel (по умолчанию первый).", valueName: "имя"))
    var sheet: String?

    @Flag(help: "Проверить и показать, что изменится, ничего не записывая.")
    var dryRun = false

    @Flag(help: "Импортировать верные строки, а неверные записать в файл --rejected.")
    var skipInvalid = false

    @Option(help: "Куда записать отклонённые строки (по умолчанию ФАЙЛ.rejected.csv).")
    var rejected: String?

    @Option(
        name: .customLong("column"),
        help: ArgumentHelp(
            "Как читать столбец файла: «Заголовок в файле=поле»; поле — lastName, email, region… или Фамилия, E-mail, Регион…, fullName (ФИО), skip (-). Можно повторять.",
            valueName: "заголовок=поле"
        )
    )
    var columnOptions: [String] = []

    @Option(name: .customLong("columns"), help: ArgumentHelp("Файл сопоставления: по строке «Заголовок в файле = поле», # — комментарий.", valueName: "файл"))
    var mappingFile: String?

    @OptionGroup var output: JSONOption

    func run() async throws {
        let data = try contents(of: file)
        let mapping = try columnMapping()
        let roster: RosterFile
        do throws(RosterRefusal) {
            // A workbook is a ZIP archive: it starts with «PK», which no roster CSV does.
            if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
                throw RosterRefusal([RosterProblem(line: nil, column: nil, message: "это книга Excel старого формата (.xls) или защищённая паролем: сохраните её как «Книга Excel (.xlsx)» без пароля или как CSV")])
            } else if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
                roster = try RosterFile(workbook: data, sheet: sheet, mapping: mapping)
            } else if let sheet {
                throw RosterRefusal([RosterProblem(line: nil, column: nil, message: "--sheet «\(sheet)»: это не книга Excel (.xlsx), листов в CSV нет")])
            } else {
                roster = try RosterFile(data: data, mapping: mapping)
            }
        } catch {
            throw CLIError.refused(error.problems.map { locate($0, in: nil) }.joined(separator: "\n"))
        }
        for column in roster.ignoredColumns {
            Terminal.message("\(file):\(roster.place(line: 1, column: column) ?? "1"): столбец «\(column)» не распознан и пропущен")
        }

        let progress = ProgressBar("Проверка", total: roster.rows.count)
        let (valid, invalid) = roster.validate(progress: progress.update)
        progress.finish()
        var summary = ImportSummary(file: file, roster: roster, dryRun: dryRun)
        summary.problems = invalid
        if !invalid.isEmpty && !skipInvalid {
            return try finish(summary, roster)
        }

        // The rejected rows must have somewhere to go before anything is committed.
        let rejectedFile = skipInvalid && !dryRun ? try PrivateFile(path: rejected ?? file + ".rejected.csv") : nil
        defer { rejectedFile?.discard() }
        let database = try await options.openDatabase()
        let report = try await database.register(
            valid.map { RegistrationRow($0.details, provided: $0.provided) },
            policy: skipInvalid ? .skipConflicts : .allOrNothing, dryRun: dryRun
        )
        summary.record(report, lines: valid.map(\.line), titles: roster.title(of:))
        if let rejectedFile, !summary.problems.isEmpty {
            try rejectedFile.finish(with: try rejectedRows(summary.problems, from: roster))
            summary.rejectedFile = rejectedFile.path
        }
        try finish(summary, roster)
    }

    private func contents(of path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError.refused("\(path): не удаётся прочитать файл: \(error.localizedDescription)")
        }
    }

    /// The `--columns` file with the `--column` options over it.
    private func columnMapping() throws -> RosterColumnMapping {
        let fileData = try mappingFile.map(contents(of:))
        do {
            var mapping = RosterColumnMapping()
            if let mappingFile, let fileData {
                mapping = try RosterColumnMapping(data: fileData, source: mappingFile)
            }
            return mapping.overridden(by: try RosterColumnMapping(options: columnOptions))
        } catch {
            throw CLIError.refused(error.description)
        }
    }

    private func finish(_ summary: ImportSummary, _ roster: RosterFile) throws {
        if output.json {
            try Terminal.outputJSON(summary)
        } else {
            for problem in summary.problems { Terminal.message(locate(problem, in: roster)) }
            for note in summary.notes { Terminal.message("\(file):\(roster.place(line: note.line) ?? ""): \(note.message)") }
            Terminal.output(summary.text)
        }
        if !skipInvalid && !summary.problems.isEmpty { throw ExitCode(1) }
    }

    /// «roster.csv:12: «E-mail»: message», «анкеты.xlsx:Лист1!C4: «E-mail»: message».
    private func locate(_ problem: RosterProblem, in roster: RosterFile?) -> String {
        let place = roster.map { $0.place(line: problem.line, column: problem.column) } ?? problem.line.map(String.init)
        return [file, place].compactMap { $0 }.joined(separator: ":") + ": " + (problem.column.map { "«\($0)»: " } ?? "") + problem.message
    }

    /// The rejected rows with the columns the file had (so that importing them after a fix
    /// changes only what the file speaks of) and the reasons.
    private func rejectedRows(_ problems: [RosterProblem], from roster: RosterFile) throws -> Data {
        let reasons = Dictionary(grouping: problems, by: \.line).mapValues { $0.map(\.description).joined(separator: "; ") }
        let fields = roster.fields
        let rows = roster.rows.compactMap { row in
            reasons[row.line].map { reason in fields.map { row.form[$0] ?? "" } + [reason] }
        }
        return try RosterWriter.csv(columns: fields.map(\.russianName) + ["Ошибки"], rows: rows)
    }
}

/// What an import did, for people and for `--json`.
struct ImportSummary: Encodable {
    struct Note: Encodable {
        var line: Int
        var message: String
    }

    var file: String
    var encoding: String?
    var delimiter: String?
    /// The sheet read, for a workbook.
    var sheet: String?
    var rows: Int
    var dryRun: Bool
    var committed = false
    var created = 0
    var updated = 0
    var unchanged = 0
    var superseded = 0
    var problems: [RosterProblem] = []
    /// Superseded rows and likely duplicates: worth a look, not errors.
    var notes: [Note] = []
    var rejectedFile: String?

    init(file: String, roster: RosterFile, dryRun: Bool) {
        self.file = file
        switch roster.source {
        case .csv(let encoding, let delimiter):
            self.encoding = encoding.rawValue
            self.delimiter = String(delimiter)
        case .workbook(let sheet, _):
            self.sheet = sheet
        }
        rows = roster.rows.count
        self.dryRun = dryRun
    }

    /// Adds the outcome of registering the valid rows; `lines` maps them to the file's lines and
    /// `titles` names fields as the file's columns do.
    mutating func record(_ report: RegistrationReport, lines: [Int], titles: (String) -> String) {
        committed = report.committed
        created = report.created
        updated = report.updated
        unchanged = report.unchanged
        superseded = report.superseded
        for (index, outcome) in report.outcomes.enumerated() {
            switch outcome {
            case .conflict(let error):
                problems.append(RosterProblem(line: lines[index], column: titles(error.field), message: error.message))
            case .superseded(let row):
                notes.append(Note(line: lines[index], message: "заменена строкой \(lines[row]) с тем же e-mail или номером заявки"))
            default:
                break
            }
        }
        for duplicate in report.likelyDuplicates {
            let twin = duplicate.existingID.map { "участник №\($0)" } ?? duplicate.earlierRow.map { "строка \(lines[$0])" } ?? ""
            notes.append(Note(line: lines[duplicate.row], message: "возможный дубликат: \(duplicate.fullName), \(duplicate.municipality) — как \(twin)"))
        }
        problems.sort { ($0.line ?? 0) < ($1.line ?? 0) }
    }

    var text: String {
        let outcome = if !problems.isEmpty && !committed && !dryRun {
            "Ничего не импортировано: ошибок \(problems.count). \(Self.linesWithErrors(problems))."
        } else if dryRun {
            "Пробный запуск, ничего не записано."
        } else {
            "Импорт завершён."
        }
        let format = if let sheet {
            "лист «\(sheet)»"
        } else {
            "\(encoding ?? ""), разделитель «\(delimiter == "\t" ? "табуляция" : delimiter ?? "")»"
        }
        var lines = ["\(file): строк \(rows) (\(format)).", outcome]
        if committed || dryRun && problems.isEmpty {
            lines.append("Новых: \(created), обновлено: \(updated), без изменений: \(unchanged), заменено более поздними строками: \(superseded).")
        }
        if let rejectedFile { lines.append("Отклонено строк: \(Set(problems.compactMap(\.line)).count) → \(rejectedFile)") }
        return lines.joined(separator: "\n")
    }

    /// «Строк с ошибками: 1 (строка 4)», «Строк с ошибками: 12 (строки 4, 7, 9, … и ещё 2)».
    static func linesWithErrors(_ problems: [RosterProblem]) -> String {
        let lines = Set(problems.compactMap(\.line)).sorted()
        guard !lines.isEmpty else { return "Ошибки в заголовке файла" }
        let shown = lines.prefix(10).map(String.init).joined(separator: ", ")
        let more = lines.count > 10 ? " … и ещё \(lines.count - 10)" : ""
        return "Строк с ошибками: \(lines.count) (\(lines.count == 1 ? "строка" : "строки") \(shown)\(more))"
    }
}
