import ForumDomain
import ForumRoster
import ForumTestSupport
@testable import ForumWorkbook
import Foundation
import Testing

/// Excel workbooks read as they are handed over: shared and inline strings, numbers, dates,
/// empty cells, several sheets.
@Suite struct WorkbookRosterTests {
    typealias Cell = WorkbookFixture.Cell
    let header: [Cell?] = ["Фамилия", "Имя", "Отчество", "E-mail", "Телефон", "Регион", "Муниципальное образование", "Должность", "Дата заявки"].map { .text($0) }

    func person(_ number: Int, email: String? = nil, region: Cell = .number("16")) -> [Cell?] {
        [.text("Ёлкина"), .inline("Алёна"), nil, .text(email ?? "elkina\(number)@mail.ru"), .number("79123456789"), region,
         .text("Город Казань"), .text("Глава «поселения» & Ко"), .date(45_306.5)]
    }

    @Test func cellsOfEveryKindReadAsText() throws {
        let data = try WorkbookFixture.xlsx([("Сводка", [[.text("пусто")]]), ("Участники", [header, person(1)])])
        let workbook = try WorkbookReader(data: data)
        #expect(workbook.sheetNames == ["Сводка", "Участники"])
        let (sheet, rows) = try workbook.rows(ofSheet: "Участники")
        #expect(sheet == "Участники")
        #expect(rows.map(\.number) == [1, 2])
        #expect(rows[1].cells == ["Ёлкина", "Алёна", "", "elkina1@mail.ru", "79123456789", "16", "Город Казань", "Глава «поселения» & Ко", "15.01.2024 12:00"])
        #expect(try workbook.rows().sheet == "Сводка", "the first sheet by default")
        let missing = #expect(throws: WorkbookReader.Failure.self) { try workbook.rows(ofSheet: "Лист1") }
        #expect(missing?.description == "в книге нет листа «Лист1»; листы: «Сводка», «Участники»")
    }

    @Test func aSheetImportsWithTheCSVRulesAndProblemsNameTheirCell() throws {
        let data = try WorkbookFixture.xlsx(
            [("Лист1", [header, person(1), person(2, region: .text("Новосибирская обл.")), person(3, email: "elkina@"), person(4)])],
            rowNumbers: [1, 2, 3, 4, 7]
        )
        let roster = try RosterFile(workbook: data)
        #expect(roster.source == .workbook(sheet: "Лист1", sheets: ["Лист1"]))
        #expect(roster.encoding == nil && roster.delimiter == nil)
        #expect(roster.rows.map(\.line) == [2, 3, 4, 7], "a row's line is its number in the sheet")
        #expect(roster.ignoredColumns == ["Дата заявки"])
        let (valid, problems) = roster.validate()
        #expect(valid.map(\.details.regionCode) == ["16", "54", "16"])
        #expect(valid.first?.details.phone == "+79123456789")
        #expect(valid.first?.details.patronymic == nil)
        #expect(problems.count == 1)
        let problem = try #require(problems.first)
        #expect(roster.place(line: problem.line, column: problem.column) == "Лист1!D4")
        #expect(roster.place(line: 7) == "Лист1!7:7")
    }

    @Test func whatIsNotAWorkbookIsRefusedInWords() throws {
        let notZip = #expect(throws: RosterRefusal.self) { try RosterFile(workbook: Data("Фамилия;Имя\n".utf8)) }
        #expect(notZip?.description.contains("не похоже на книгу Excel") == true)
        let empty = try WorkbookFixture.xlsx([("Пустой", [])])
        let refused = #expect(throws: RosterRefusal.self) { try RosterFile(workbook: empty) }
        #expect(refused?.description.contains("лист «Пустой» пуст") == true)
        // The start of a ZIP without its end, and an end whose comment runs past the bytes.
        for bytes in [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06] + Array(repeating: 0, count: 16) + [0xFF, 0x00]] as [[UInt8]] {
            let failure = #expect(throws: WorkbookReader.Failure.self) { try WorkbookReader(data: Data(bytes)) }
            #expect(failure?.description == "не похоже на книгу Excel (.xlsx): это не ZIP-архив")
        }
        let truncated = try WorkbookFixture.xlsx([("Лист1", [header, person(1)])]).prefix(200)
        #expect(throws: RosterRefusal.self) { try RosterFile(workbook: Data(truncated)) }
    }

    @Test func aWrittenWorkbookReadsBackTypedAndTextStaysText() throws {
        let moment = try Date("2027-01-15T09:12:00Z", strategy: .iso8601)
        let table = WorkbookTable(sheet: "Приход: 15/01", columns: ["ID", "ФИО", "Время (МСК)", "Заметка"], rows: [
            [.number(42), .text("Ёлкина Алёна"), .moment(moment, shown: "15.01.2027 12:12"), .text("=HYPERLINK(\"http://x\")")],
            [.number(7), .text("Текст\u{1B}[2J без ESC & <тегов>"), .empty, .text("'+7 Медиа")],
        ])
        let workbook = try WorkbookReader(data: try WorkbookWriter.xlsx(table, title: "Форум", timeZone: Forum.timeZone))
        #expect(workbook.sheetNames == ["Приход_ 15_01"], "a sheet name without the characters Excel refuses")
        let rows = try workbook.rows().rows
        #expect(rows.map(\.cells) == [
            ["ID", "ФИО", "Время (МСК)", "Заметка"],
            ["42", "Ёлкина Алёна", "15.01.2027 12:12", "=HYPERLINK(\"http://x\")"],
            ["7", "Текст[2J без ESC & <тегов>", "", "'+7 Медиа"],
        ], "a moment is Moscow wall-clock time, a formula's text is text, a control character is left out")
    }

    @Test func errorsIsoDatesAndColouredNumbersReadAsPeopleSeeThem() throws {
        let data = try WorkbookFixture.xlsx([("Лист1", [[
            .raw(attributes: #"t="e""#, inner: "<v>#N/A</v>"), .raw(attributes: #"t="d""#, inner: "<v>2027-01-15T09:30:00</v>"),
            .raw(attributes: #"s="2""#, inner: "<v>1500</v>"), .raw(attributes: #"t="str""#, inner: "<f>A1&amp;B1</f><v>итог</v>"),
        ]])])
        #expect(try WorkbookReader(data: data).rows().rows.first?.cells == ["", "15.01.2027 09:30", "1500", "итог"],
                "an error is no value, an ISO date reads as a date, «[Red]» and quoted «minus» make no date")
    }

    @Test func escapesCDATAAndPhoneticHintsReadAsTheTextShown() throws {
        let data = try WorkbookFixture.xlsx([("Лист1", [[
            .raw(attributes: #"t="inlineStr""#, inner: "<is><t>Глава_x000D_\nгорода _x005F_x0041_</t></is>"),
            .raw(attributes: #"t="inlineStr""#, inner: "<is><t><![CDATA[«Рассвет» & Ко]]></t></is>"),
            .raw(attributes: #"t="inlineStr""#, inner: "<is><r><t>Ёлкина</t></r><rPh sb=\"0\" eb=\"1\"><t>ёлкина</t></rPh></is>"),
        ]])])
        #expect(try WorkbookReader(data: data).rows().rows.first?.cells == ["Глава\r\nгорода _x0041_", "«Рассвет» & Ко", "Ёлкина"])
        #expect(WorkbookText.unescaped("_x") == "_x" && WorkbookText.unescaped("a_xZZZZ_b") == "a_xZZZZ_b")
    }

    @Test func aBookCountingFrom1904ReadsItsDatesRight() throws {
        // 15.01.2024 is 45306 counted from 1900 and 43844 from 1904.
        let data = try WorkbookFixture.xlsx([("Лист1", [[.date(43_844)]])], date1904: true)
        #expect(try WorkbookReader(data: data).rows().rows.first?.cells == ["15.01.2024"])
    }

    @Test func brokenOrHostileXMLIsRefusedBeforeTheParserSeesIt() throws {
        #expect(XMLShape.problem(in: Data(#"<a x="1" y='2'><b/><!-- c --><![CDATA[<d>]]></a>"#.utf8)) == nil)
        #expect(XMLShape.problem(in: Data(#"<sheet name="Лист1" sheetId="1"s>eoo"/>"#.utf8)) == "испорченный атрибут", "the finding of make fuzz")
        #expect(XMLShape.problem(in: Data(#"<a x=1/>"#.utf8)) == "значение атрибута без кавычек")
        #expect(XMLShape.problem(in: Data(#"<a x="<"/>"#.utf8)) == "«<» в значении атрибута")
        let bomb = try WorkbookFixture.xlsx([("Лист1", [[.text("x")]])], sheetPrefix: #"<!DOCTYPE lol [<!ENTITY lol "lol">]>"#)
        let refused = #expect(throws: WorkbookReader.Failure.self) { try WorkbookReader(data: bomb).rows() }
        #expect(refused?.description == "книга повреждена: xl/worksheets/sheet1.xml — объявление типа документа (DOCTYPE) в книге недопустимо")
    }

    @Test func aRowOutOfPlaceIsRefusedNotGuessed() throws {
        let bad = try WorkbookFixture.xlsx([("Лист1", [[.text("a")], [.text("b")]])], rowNumbers: [2, 1])
        let refused = #expect(throws: WorkbookReader.Failure.self) { try WorkbookReader(data: bad).rows() }
        #expect(refused?.description == "книга повреждена: строка 1 не на своём месте")
    }

    @Test func anExcelSerialIsADateInTheMoscowWay() {
        #expect(WorkbookReader.date(fromSerial: 45_306) == "15.01.2024")
        #expect(WorkbookReader.date(fromSerial: 45_307.75) == "16.01.2024 18:00")
        #expect(WorkbookReader.date(fromSerial: 1) == "01.01.1900")
        #expect(WorkbookReader.date(fromSerial: 61) == "01.03.1900")
        #expect(WorkbookReader.date(fromSerial: 0) == nil && WorkbookReader.date(fromSerial: 3e6) == nil)
    }
}
