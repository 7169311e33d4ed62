import ForumDomain
import ForumRoster
import ForumStore
import ForumTestSupport
import Foundation
import Testing

@Suite struct RosterFileTests {
    let header = "Фамилия;Имя;Отчество;E-mail;Телефон;Регион;Муниципальное образование;Категория;Номер заявки"

    @Test func readsWindows1251WithSemicolons() async throws {
        let text = header + "\r\nЁжиков;Пётр;Ильич;ezhikov@mail.ru;8 912 000-00-01;Татарстан;город Казань;Спикер;A-1\r\n"
        let data = try #require(text.data(using: .windowsCP1251))
        #expect(String(data: data, encoding: .utf8) == nil)
        let roster = try RosterFile(data: data)
        #expect(roster.encoding == .windows1251)
        #expect(roster.delimiter == ";")
        let (valid, problems) = roster.validate()
        #expect(problems.isEmpty)
        #expect(valid.first?.details.fullName == "Ёжиков Пётр Ильич")
        #expect(valid.first?.details.category == .speaker)
        #expect(valid.first?.line == 2)
    }

    @Test func windows1251DecodesEveryByteAsFoundationDoes() {
        for byte in UInt8(0x80)...UInt8(0xFF) {
            // 0xC0 first: never UTF-8, so the bytes are read as Windows-1251.
            let data = Data([0xC0, byte, 0x41])
            let ours = RosterText.decode(data)
            let foundation = String(data: data, encoding: .windowsCP1251)
            if byte == 0x98 {
                #expect(ours == nil, "0x98 has no character in Windows-1251")
            } else {
                #expect(ours?.text == foundation && ours?.encoding == .windows1251, "byte \(byte): \(String(describing: ours?.text)) vs \(String(describing: foundation))")
            }
        }
        let words = "Ёжиков Пётр — «Администрация» № 5, ул. Ленина"
        #expect(RosterText.decode(words.data(using: .windowsCP1251)!)?.text == words)
    }

    @Test func readsUTF8WithBOMAndCommasAndEnglishHeaders() async throws {
        let text = "\u{FEFF}Last name,First name,Email,Region,Municipality,External ID\n\"Петров, мл.\",Иван,p@mail.ru,77,\"Москва\",X\n"
        let roster = try RosterFile(data: Data(text.utf8))
        #expect(roster.encoding == .utf8BOM)
        #expect(roster.delimiter == ",")
        #expect(roster.rows.first?.form[.lastName] == "Петров, мл.")
        #expect(roster.rows.first?.form[.externalID] == "X")
    }

    @Test func oneColumnFullNameIsSplit() async throws {
        let text = "ФИО;E-mail;Регион;МО\nКузьмина Алёна Петровна;a@mail.ru;16;Казань\nМамедов Рашид Мамед оглы;m@mail.ru;05;Дербент\n"
        let (valid, problems) = try RosterFile(data: Data(text.utf8)).validate()
        #expect(problems.isEmpty)
        #expect(valid.map(\.details.patronymic) == ["Петровна", "Мамед оглы"])
    }

    @Test func badRowsNameTheirLineAndColumn() async throws {
        let text = header + "\n"
            + "Иванов;Иван;;ivanov@mail.ru;;16;Казань;;\n"
            + "Петров;Пётр;;\"petrov\nat mail\";;99;Казань;;\n"  // a quoted cell spanning two lines
            + "Сидоров;;;sidorov@mail.ru;;16;Казань;Зритель;\n"
        let (valid, problems) = try RosterFile(data: Data(text.utf8)).validate()
        #expect(valid.count == 1)
        #expect(problems.map(\.line) == [3, 3, 5, 5])
        #expect(problems.map(\.column) == ["E-mail", "Регион", "Имя", "Категория"])
        #expect(problems[0].description.hasPrefix("строка 3, «E-mail»: «petrov at mail»"))
    }

    @Test func missingColumnsAreReportedForTheFile() throws {
        let error = #expect(throws: RosterRefusal.self) {
            try RosterFile(data: Data("Фамилия;Имя;Телефон\nИванов;Иван;\n".utf8))
        }
        let problems = try #require(error).problems
        #expect(problems.allSatisfy { $0.line == 1 })
        #expect(problems.map(\.message) == ["нет обязательного столбца «E-mail»", "нет обязательного столбца «Регион»", "нет обязательного столбца «Муниципальное образование»"])
        #expect(throws: RosterRefusal.self) { try RosterFile(data: Data()) }
    }

    @Test func unknownColumnsAreIgnoredAndBlankLinesSkipped() async throws {
        let roster = try RosterFile(data: Data((header + ";Комментарий\n\n;;;;;;;;;\nИванов;Иван;;i@mail.ru;;16;Казань;;;привет\n").utf8))
        #expect(roster.ignoredColumns == ["Комментарий"])
        #expect(roster.rows.map(\.line) == [4])
    }

    @Test func oneBadRowImportsNothing() async throws {
        let temporary = try TemporaryDatabase()
        var rows = (1...50).map { RosterWriter.cells(Sample.form($0)) }
        rows[29][3] = "не-почта"
        let data = try RosterWriter.csv(columns: RosterWriter.formColumns, rows: rows)
        let (valid, problems) = try RosterFile(data: data).validate()
        #expect(problems.count == 1 && problems[0].line == 31 && problems[0].column == "E-mail")
        // The import command stops here; the valid rows alone would import 49.
        #expect(valid.count == 49)
        #expect(try await temporary.database.participants(matching: ParticipantFilter()).total == 0)
    }

    @Test func exportReadsBackAsTheSameParticipants() async throws {
        let temporary = try TemporaryDatabase()
        var forms = (1...30).map { Sample.form($0, lastName: "Ёлкин\($0 % 2 == 0 ? "а" : "")") }
        forms[3][.organisation] = "ООО \"Ромашка\"; филиал"
        forms[4][.position] = "Глава\nпоселения"
        forms[5][.phone] = "+375 29 123-45-67"
        forms[6][.organisation] = "'+7 Медиа"  // starts with an apostrophe: must survive the spreadsheet escaping
        _ = try await temporary.database.register(forms.map { try $0.validated() })
        let exported = try await temporary.database.participants(matching: ParticipantFilter(page: Page(number: 1, size: nil))).items
        let data = try ExportFormat.csv.data(RosterWriter.exportTable(exported), title: Forum.name)
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(";8 (912) 345-67-01;") && text.contains(";(+) 375291234567;"))
        let roster = try RosterFile(data: data)
        #expect(roster.ignoredColumns.isEmpty)
        let (valid, problems) = roster.validate()
        #expect(problems.isEmpty)
        let report = try await temporary.database.register(valid.map(\.details))
        #expect(report.unchanged == 30)

        // The same export as a workbook reads back the same.
        let book = try RosterFile(workbook: try ExportFormat.xlsx.data(RosterWriter.exportTable(exported), title: Forum.name))
        #expect(book.source == .workbook(sheet: "Участники", sheets: ["Участники"]) && book.ignoredColumns.isEmpty)
        let fromBook = book.validate()
        #expect(fromBook.problems.isEmpty)
        #expect(fromBook.valid.map(\.details) == valid.map(\.details), "the workbook holds what the CSV holds")
    }

    @Test func demoRosterIsReproducibleAndValid() async throws {
        var first = DemoRoster(seed: 42)
        var second = DemoRoster(seed: 42)
        var other = DemoRoster(seed: 43)
        let forms = first.forms(count: 600)
        #expect(forms == second.forms(count: 600))
        #expect(forms != other.forms(count: 600))
        let details = try forms.map { try $0.validated() }
        #expect(Set(details.map(\.regionCode)).count == 89)
        #expect(Set(details.map(\.email)).count == 600)
        #expect(details.contains { $0.category == .speaker } && details.contains { $0.category == .press })
        #expect(details.allSatisfy { $0.patronymic != nil })
    }
}
