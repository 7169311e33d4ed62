import ForumDomain
import ForumRoster
import GRDB
import ForumTestSupport
import Foundation
import Testing

/// Runs the built `forum` executable as a user would, in a scratch directory.
struct ForumProcess {
    let directory: URL

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("forumops-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// `forum` in the build's bin path, beside the test bundle that runs (`swift build --build-tests`
    /// puts both there, whatever the configuration or build directory).
    static let executable: URL = {
        let testBundle = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
        return testBundle.deletingLastPathComponent().appendingPathComponent("forum")
    }()

    func run(_ arguments: String...) throws -> Result {
        // The database comes from the environment, as DESIGN.md's conventions allow.
        try run(arguments, environment: ["FORUM_DATABASE": directory.appendingPathComponent("forum.sqlite").path])
    }

    func run(_ arguments: [String], environment: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = Self.environment(environment)
        process.currentDirectoryURL = directory
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // A command that should have refused to start a server must not hang the test run.
        let watchdog = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: watchdog)
        defer { watchdog.cancel() }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// This process's environment without any `FORUM_` setting of its own, plus `environment`.
    static func environment(_ environment: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("FORUM_") }.merging(environment) { $1 }
    }

    func write(_ data: Data, to name: String) throws {
        try data.write(to: directory.appendingPathComponent(name))
    }

    func total() throws -> Int {
        let listing = try run("participants", "list", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [String: Any])
        return try #require(object["total"] as? Int)
    }
}

@Suite(.serialized) struct ForumCLITests {
    let forum: ForumProcess

    init() throws {
        forum = try ForumProcess()
    }

    private func rosterCSV(_ count: Int, change: (inout [[String]]) -> Void = { _ in }) throws -> Data {
        var rows = (1...count).map { RosterWriter.cells(Sample.form($0)) }
        change(&rows)
        return try RosterWriter.csv(columns: RosterWriter.formColumns, rows: rows)
    }

    @Test func oneBadRowInAWindows1251FileImportsNothingAndNamesFileLineAndField() throws {
        let text = String(decoding: try rosterCSV(40) { $0[29][3] = "ivanov@" }.dropFirst(3), as: UTF8.self)
        try forum.write(text.data(using: .windowsCP1251)!, to: "анкеты.csv")
        let result = try forum.run("participants", "import", "анкеты.csv")
        #expect(result.status == 1)
        #expect(result.stderr.contains("анкеты.csv:31: «E-mail»: «ivanov@» — не похоже на адрес электронной почты"))
        #expect(result.stdout.contains("Ничего не импортировано"))
        #expect(try forum.total() == 0)
    }

    @Test func aRealFormExportWithRegionsAsPeopleWriteThemImportsAndAnErrorNamesItsLine() throws {
        let header = "Фамилия, имя, отчество;Адрес эл. почты;Контактный телефон;Регион (субъект РФ);Наименование муниципального образования;Наименование организации;Занимаемая должность"
        let people = [
            "Ёлкина Алёна Сергеевна;elkina@mail.ru;8 912 345-67-89;Новосибирская обл.;Город Бердск;Администрация города Бердска;Глава города",
            "Хабибуллин Рустам Ильдарович;rustam@tatar.ru;;Респ. Татарстан;Город Казань;Исполком;Заместитель руководителя",
            "Петров Пётр Петрович;petrov@mos.ru;;г. Москва;Район Хамовники;Управа;Глава управы",
            "Иванова Мария Ивановна;ivanova@cap.ru;;Чувашия;Город Чебоксары;Администрация;Специалист",
            "Сидоров Олег Олегович;sidorov@ugra.ru;;ХМАО — Югра;Город Сургут;Администрация;Глава",
            "Кузнецов Иван Иванович;kuz@kuzbass.ru;;Кузбасс;Город Кемерово;Администрация;Советник",
        ]
        let text = ([header] + people).joined(separator: "\r\n") + "\r\n"
        try forum.write(text.data(using: .windowsCP1251)!, to: "выгрузка.csv")
        let imported = try forum.run("participants", "import", "выгрузка.csv", "--json")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(!imported.stderr.contains("не распознан"), "every column is recognised: \(imported.stderr)")
        let regions = try (1...6).map { id in
            let shown = try forum.run("participants", "show", String(id), "--json").stdout
            return try #require(try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any])
        }
        #expect(regions.map { $0["regionCode"] as? String } == ["54", "16", "77", "21", "86", "42"])
        #expect(regions[0]["organisation"] as? String == "Администрация города Бердска" && regions[0]["position"] as? String == "Глава города")

        var wrong = people.map { $0.replacingOccurrences(of: "@", with: "+new@") }
        wrong[2] = wrong[2].replacingOccurrences(of: "г. Москва", with: "Алтай")  // line 4 of the file
        try forum.write(([header] + wrong).joined(separator: "\n").data(using: .utf8)!, to: "вторая.csv")
        let refused = try forum.run("participants", "import", "вторая.csv")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("Строк с ошибками: 1 (строка 4)"), "\(refused.stdout)")
        #expect(refused.stderr.contains("вторая.csv:4: «Регион (субъект РФ)»: «Алтай» — неоднозначно: Республика Алтай (04) или Алтайский край (22)"), "\(refused.stderr)")
        #expect(try forum.total() == 6)
    }

    @Test func anExcelWorkbookImportsWithoutResavingAndItsErrorsNameSheetAndCell() throws {
        typealias Cell = WorkbookFixture.Cell
        let header: [Cell?] = ["ФИО", "Адрес эл. почты", "Субъект РФ", "Муниципальное образование", "Занимаемая должность"].map { .text($0) }
        func row(_ number: Int, email: String? = nil) -> [Cell?] {
            [.text("Ёлкина Алёна Сергеевна"), .text(email ?? "elkina\(number)@mail.ru"),
             .number("16"), .inline("Город Казань"), .text("Глава")]
        }
        let book = try WorkbookFixture.xlsx([("Инструкция", [[.text("Заполните лист «Участники»")]]), ("Участники", [header, row(1), row(2), row(3)])])
        try forum.write(book, to: "анкеты.xlsx")
        let first = try forum.run("participants", "import", "анкеты.xlsx")
        #expect(first.status == 1, "the first sheet holds no roster")
        let imported = try forum.run("participants", "import", "анкеты.xlsx", "--sheet", "Участники")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("анкеты.xlsx: строк 3 (лист «Участники»)"), "\(imported.stdout)")
        #expect(try forum.total() == 3)

        let broken = try WorkbookFixture.xlsx([("Участники", [header, row(4), row(5), row(6, email: "elkina@")])])
        try forum.write(broken, to: "вторая.xlsx")
        let refused = try forum.run("participants", "import", "вторая.xlsx")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("вторая.xlsx:Участники!B4: «Адрес эл. почты»: «elkina@» — не похоже на адрес электронной почты"), "\(refused.stderr)")
        #expect(refused.stdout.contains("Строк с ошибками: 1 (строка 4)"))
        #expect(try forum.total() == 3, "a failed import imports nothing")
        let noSuchSheet = try forum.run("participants", "import", "вторая.xlsx", "--sheet", "Лист1")
        #expect(noSuchSheet.status == 1 && noSuchSheet.stderr.contains("в книге нет листа «Лист1»; листы: «Участники»"), "\(noSuchSheet.stderr)")
        try forum.write(try rosterCSV(2), to: "roster.csv")
        #expect(try forum.run("participants", "import", "roster.csv", "--sheet", "Лист1").stderr.contains("это не книга Excel"))
    }

    @Test func reimportChangesNothingAndJSONReportCounts() throws {
        try forum.write(try rosterCSV(25), to: "roster.csv")
        let first = try forum.run("participants", "import", "roster.csv", "--json")
        #expect(first.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        #expect(report["created"] as? Int == 25)
        #expect(report["encoding"] as? String == "UTF-8 с BOM")
        let second = try forum.run("participants", "import", "roster.csv")
        #expect(second.status == 0)
        #expect(second.stdout.contains("Новых: 0, обновлено: 0, без изменений: 25"))
        #expect(try forum.total() == 25)
    }

    @Test func aFileWithFewerColumnsKeepsWhatItDoesNotMention() throws {
        try forum.write(try rosterCSV(25), to: "full.csv")
        #expect(try forum.run("participants", "import", "full.csv").status == 0)
        let rows = (1...25).map { number in
            let form = Sample.form(number)
            return [form[.lastName]!, form[.firstName]!, form[.email]!, form[.regionCode]!, form[.municipality]!]
        }
        try forum.write(try RosterWriter.csv(columns: ["Фамилия", "Имя", "Email", "Регион", "МО"], rows: rows), to: "short.csv")
        let second = try forum.run("participants", "import", "short.csv")
        #expect(second.stdout.contains("без изменений: 25"))
        #expect(try forum.run("participants", "show", "1").stdout.contains("ФИО: Кузьмина Алёна Петровна"))
    }

    @Test func rejectedRowsNeedAPlaceBeforeAnythingIsImported() throws {
        try forum.write(try rosterCSV(5) { $0[1][7] = "=HYPERLINK(\"http://x\")" }, to: "roster.csv")
        let refused = try forum.run("participants", "import", "roster.csv", "--skip-invalid", "--rejected", "/no/such/dir/r.csv")
        #expect(refused.status == 1 && refused.stderr.contains("/no/such/dir/r.csv"))
        #expect(try forum.total() == 0)
        #expect(try forum.run("participants", "import", "roster.csv", "--skip-invalid").status == 0)
        #expect(try forum.total() == 4)
        let rejectedFile = forum.directory.appendingPathComponent("roster.csv.rejected.csv")
        let text = String(decoding: try Data(contentsOf: rejectedFile), as: UTF8.self)
        #expect(text.contains(#";"'=HYPERLINK(""http://x"")";"#))  // Excel shows it as text
        let attributes = try FileManager.default.attributesOfItem(atPath: rejectedFile.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // A clean import leaves a rejected file that someone may be editing alone.
        try forum.write(try rosterCSV(5), to: "clean.csv")
        #expect(try forum.run("participants", "import", "clean.csv", "--skip-invalid", "--rejected", "roster.csv.rejected.csv").status == 0)
        #expect(FileManager.default.fileExists(atPath: rejectedFile.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: forum.directory.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func aFormWithItsOwnTitlesImportsWithAColumnMapping() throws {
        func export(_ numbers: ClosedRange<Int>, change: (inout [[String]]) -> Void = { _ in }) throws -> Data {
            var rows = numbers.map { number in
                let form = Sample.form(number)
                return [form[.lastName], form[.firstName], form[.email], form[.regionCode], form[.municipality]].map { $0 ?? "" }
            }
            change(&rows)
            return try RosterWriter.csv(columns: ["Фамилия", "Имя", "Адрес для писем", "Субъект, где вы работаете", "Город или район"], rows: rows)
        }
        try forum.write(try export(1...5), to: "анкеты.csv")
        let refused = try forum.run("participants", "import", "анкеты.csv")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains(
            #"анкеты.csv:1: нет обязательного столбца «Регион»; похожий столбец в файле: «Субъект, где вы работаете» — укажите --column "Субъект, где вы работаете=region""#
        ))
        #expect(try forum.total() == 0)

        let mapped = try forum.run(
            "participants", "import", "анкеты.csv", "--column", "Адрес для писем=email",
            "--column", "Субъект, где вы работаете=region", "--column", "Город или район=Муниципальное образование"
        )
        #expect(mapped.status == 0 && mapped.stdout.contains("Новых: 5"))
        #expect(try forum.total() == 5)

        try forum.write(Data("Регион = регоин\n".utf8), to: "bad.txt")
        let badMapping = try forum.run("participants", "import", "анкеты.csv", "--columns", "bad.txt")
        #expect(badMapping.status == 1 && badMapping.stderr.contains("bad.txt:1: «регоин» — неизвестное поле"))

        // The next export, read with the mapping file kept for it; its rejected row re-imports
        // without a mapping: forumops writes it with its own titles.
        let mapping = "# Яндекс Форма «Регистрация»\nАдрес для писем = email\nСубъект, где вы работаете = Регион\nГород или район = municipality\n"
        try forum.write(Data(mapping.utf8), to: "mapping.txt")
        try forum.write(try export(6...7) { $0[1][2] = "ivanov@" }, to: "анкеты-2.csv")
        let next = try forum.run("participants", "import", "анкеты-2.csv", "--columns", "mapping.txt", "--skip-invalid")
        #expect(next.status == 0 && next.stderr.contains("анкеты-2.csv:3: «Адрес для писем»: «ivanov@»"))
        #expect(try forum.total() == 6)
        let rejectedFile = forum.directory.appendingPathComponent("анкеты-2.csv.rejected.csv")
        let rejected = String(decoding: try Data(contentsOf: rejectedFile), as: UTF8.self)
        #expect(rejected.hasPrefix("\u{FEFF}Фамилия;Имя;E-mail;Регион;Муниципальное образование;Ошибки"))
        try Data(rejected.replacingOccurrences(of: "ivanov@", with: "ivanov@mail.ru").utf8).write(to: rejectedFile)
        #expect(try forum.run("participants", "import", "анкеты-2.csv.rejected.csv").status == 0)
        #expect(try forum.total() == 7)
    }

    @Test func exportToADeviceLeavesItsPermissionsAlone() throws {
        let before = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.posixPermissions] as? Int
        #expect(try forum.run("participants", "export", "--output", "/dev/null").status == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: "/dev/null")[.posixPermissions] as? Int == before)
    }

    @Test func dryRunAndSkipInvalid() throws {
        try forum.write(try rosterCSV(10) { $0[2][5] = "Атлантида"; $0[6][0] = "" }, to: "roster.csv")
        let dry = try forum.run("participants", "import", "roster.csv", "--dry-run", "--skip-invalid")
        #expect(dry.status == 0)
        #expect(try forum.total() == 0)
        let skipped = try forum.run("participants", "import", "roster.csv", "--skip-invalid")
        #expect(skipped.status == 0)
        #expect(try forum.total() == 8)
        let rejected = try RosterFile(data: Data(contentsOf: forum.directory.appendingPathComponent("roster.csv.rejected.csv")))
        #expect(rejected.rows.count == 2)
        #expect(rejected.ignoredColumns.isEmpty)
        #expect(rejected.validate().problems.map(\.column) == ["Регион", "Фамилия"])
    }

    @Test func storedEscapeSequencesNeverReachATerminalOrAnExport() throws {
        let added = try forum.run(
            "participants", "add", "--last-name", "Ёлкина", "--first-name", "Алёна", "--email", "elkina@mail.ru",
            "--region", "16", "--municipality", "Город Казань", "--position", "Глава", "--json"
        )
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try forum.run("participants", "update", "1", "--position", "Глава\u{1B}[2J").status == 1)  // refused at the edge
        // What an older build, or a hand-edited database, could hold: written past every check.
        let paint = "Глава \u{1B}[2J\u{1B}[H\u{1B}[42m ПРОХОДИТЕ \u{1B}[0m\u{202E}"
        let database = try DatabaseQueue(path: forum.directory.appendingPathComponent("forum.sqlite").path)
        try database.write { db in
            try db.execute(sql: "UPDATE participant SET position = ?, municipality = ? WHERE id = 1", arguments: [paint, paint])
            try db.execute(sql: """
                INSERT INTO checkin (list_slug, participant_id, desk, nonce, scanned_at, recorded_at, result, source, token_name)
                VALUES ('entrance', 1, ?, 'n-1', ?, ?, 'ok', 'online', ?)
                """, arguments: ["Вход\u{1B}[2J", Date(), Date(), "Токен\u{1B}[42m"])
        }
        try database.close()
        for arguments in [["participants", "list"], ["participants", "show", "1"], ["checkins", "list"], ["participants", "list", "--surname", "ёлк"]] {
            let shown = try forum.run(arguments, environment: ["FORUM_DATABASE": forum.directory.appendingPathComponent("forum.sqlite").path])
            #expect(shown.status == 0, "\(arguments): \(shown.stderr)")
            #expect(!shown.stdout.contains("\u{1B}") && !shown.stdout.contains("\u{202E}"), "\(arguments)")
        }
        #expect(try forum.run("participants", "show", "1").stdout.contains("Глава �[2J�[H�[42m ПРОХОДИТЕ �[0m�"))
        #expect(try forum.run("participants", "export", "--output", "export.csv").status == 0)
        let exported = try Data(contentsOf: forum.directory.appendingPathComponent("export.csv"))
        #expect(!exported.contains(0x1B) && !String(decoding: exported, as: UTF8.self).contains("\u{202E}"))
    }

    @Test func addShowUpdateCancelAndExport() throws {
        let added = try forum.run(
            "participants", "add", "--last-name", "Ёлкина", "--first-name", "Алёна", "--email", "elkina@mail.ru",
            "--region", "Татарстан", "--municipality", "Город Казань", "--category", "спикер", "--json"
        )
        #expect(added.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        #expect(document["regionName"] as? String == "Республика Татарстан")
        let id = String(try #require(document["id"] as? Int))
        #expect(try forum.run("participants", "update", id, "--position", "Мэр").stdout.contains("Должность: Мэр"))
        #expect(try forum.run("participants", "list", "--surname", "ЕЛК").stdout.contains("Ёлкина Алёна"))
        #expect(try forum.run("participants", "cancel", id).status == 0)
        #expect(try forum.run("participants", "show", id).stdout.contains("Статус: отменён"))
        #expect(try forum.run("participants", "list", "--status", "cancelled", "--json").stdout.contains("Ёлкина"))
        #expect(try forum.run("participants", "reinstate", id).stdout.contains("Статус: зарегистрирован"))
        let export = try forum.run("participants", "export", "--output", "export.csv")
        #expect(export.status == 0)
        let exported = try Data(contentsOf: forum.directory.appendingPathComponent("export.csv"))
        #expect(exported.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(String(decoding: exported, as: UTF8.self).contains("Ёлкина;Алёна"))
    }

    @Test func exitCodesScriptsCanRelyOn() throws {
        #expect(try forum.run("participants", "show", "abc").status == 2)
        #expect(try forum.run("participants", "frobnicate").status == 2)
        let missing = try forum.run("participants", "show", "404")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("участник №404 не найден"))
        let invalid = try forum.run("participants", "add", "--last-name", "Иванов")
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("email: обязательное поле не заполнено"))
        #expect(try forum.run("participants", "import", "нет-такого.csv").status == 1)
        #expect(try forum.run("participants", "--help").status == 0)
    }

    @Test func tokensArePrintedOnceAndListedWithoutSecrets() throws {
        let created = try forum.run("tokens", "create", "--role", "desk", "--name", "Вход 1")
        #expect(created.status == 0)
        let secret = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("fo_"))
        let listed = try forum.run("tokens", "list", "--json")
        #expect(listed.stdout.contains("Вход 1") && !listed.stdout.contains(secret))
        #expect(try forum.run("tokens", "create", "--role", "boss", "--name", "x").status == 2)
        #expect(try forum.run("tokens", "revoke", "1").stdout.contains("отозван"))
    }

    @Test func configurationLayersOptionOverEnvironmentOverFile() throws {
        try forum.write(Data(#"{"database": {"path": "from-file.sqlite"}}"#.utf8), to: "forum.json")
        func databaseUsed(_ arguments: [String], _ environment: [String: String] = [:]) throws -> String? {
            let result = try forum.run(["db", "migrate", "--json", "--config", "forum.json"] + arguments, environment: environment)
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return object?["database"] as? String
        }
        #expect(try databaseUsed([]) == "from-file.sqlite")
        #expect(try databaseUsed([], ["FORUM_DATABASE": "from-env.sqlite"]) == "from-env.sqlite")
        #expect(try databaseUsed(["--database", "from-option.sqlite"], ["FORUM_DATABASE": "from-env.sqlite"]) == "from-option.sqlite")
        let missing = try forum.run(["db", "migrate", "--config", "нет.json"], environment: [:])
        #expect(missing.status == 1 && missing.stderr.contains("нет.json"))
        try forum.write(Data("{ broken".utf8), to: "broken.json")
        #expect(try forum.run(["db", "migrate", "--config", "broken.json"], environment: [:]).status == 1)
        let attributes = try FileManager.default.attributesOfItem(atPath: forum.directory.appendingPathComponent("from-file.sqlite").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func demoRosterImportsCleanly() throws {
        let demo = try forum.run("demo", "roster", "--count", "300", "--seed", "5", "--output", "demo.csv")
        #expect(demo.status == 0)
        let imported = try forum.run("participants", "import", "demo.csv")
        #expect(imported.status == 0)
        #expect(try forum.total() == 300)
    }
}
