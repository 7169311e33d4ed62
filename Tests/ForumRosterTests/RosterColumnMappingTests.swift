import ForumDomain
import ForumRoster
import Foundation
import Testing

@Suite struct RosterColumnMappingTests {
    /// The file's refusal, or a failed expectation.
    private func refusal(_ text: String, mapping: RosterColumnMapping = RosterColumnMapping()) throws -> RosterRefusal {
        let error = #expect(throws: RosterRefusal.self) { try RosterFile(data: Data(text.utf8), mapping: mapping) }
        return try #require(error)
    }

    private func mapping(_ text: String) throws -> RosterColumnMapping {
        try RosterColumnMapping(text: text, source: "columns.txt")
    }

    @Test func onlineFormQuestionsAreRecognised() throws {
        let header = [
            "Ваша фамилия", "Ваше имя:", "Отчество (если есть)", "Ваша электронная почта:", "Контактный телефон *",
            "Укажите ваш регион", "Муниципальное образование (район, округ, поселение)", "№ заявки", "Место_работы",
            "Должность / Position", "Комментарий",
        ].joined(separator: ";")
        let roster = try RosterFile(data: Data((header + "\nЁлкина;Алёна;;e@mail.ru;8 912 345-67-89;16;Казань;7;Мэрия;Глава;\n").utf8))
        #expect(roster.fields == ParticipantField.allCases.filter { $0 != .category })
        #expect(roster.ignoredColumns == ["Комментарий"])
        #expect(roster.title(of: "regionCode") == "Укажите ваш регион")
        let (valid, problems) = roster.validate()
        #expect(problems.isEmpty)
        #expect(valid.first?.details.externalID == "7")
        #expect(valid.first?.details.position == "Глава")
    }

    @Test func titlesCompareWithoutCaseYoAndPunctuation() throws {
        let roster = try RosterFile(data: Data("ФАМИЛИЯ?;«Имя»;E-MAIL:;Субъект Российской Федерации;МУНИЦИПАЛИТЁТ\n".utf8))
        #expect(roster.fields == [.lastName, .firstName, .email, .regionCode, .municipality])
        #expect(try RosterFile(data: Data("Ф.И.О.;Эл. почта;Регион;МО\n".utf8)).fields == [.lastName, .firstName, .patronymic, .email, .regionCode, .municipality])
    }

    @Test func numeroSignKeepsItsMeaning() throws {
        let roster = try RosterFile(data: Data("№;ФИО;E-mail;Регион;МО;Заявки\n".utf8))
        #expect(!roster.fields.contains(.externalID))
        #expect(roster.ignoredColumns == ["№", "Заявки"])
    }

    @Test func aTitleThatCouldMeanTwoFieldsIsRefused() throws {
        let refused = try refusal("ФИО;E-mail;Регион;МО;Ваш номер;E-mail или телефон\n")
        #expect(refused.problems.map(\.column) == ["Ваш номер", "E-mail или телефон"])
        #expect(refused.problems[0].message == #"может означать «Номер заявки» или «Телефон»: укажите --column "Ваш номер=externalId" или --column "Ваш номер=phone""#)
        #expect(refused.problems[1].message.hasPrefix("может означать «E-mail» или «Телефон»"))
        let mapped = try RosterFile(
            data: Data("ФИО;E-mail;Регион;МО;Ваш номер;E-mail или телефон\n".utf8),
            mapping: RosterColumnMapping(options: ["Ваш номер=Телефон", "E-mail или телефон=skip"])
        )
        #expect(mapped.title(of: "phone") == "Ваш номер")
        #expect(mapped.ignoredColumns.isEmpty)
    }

    @Test func twoColumnsForOneFieldAreRefused() throws {
        let text = "ФИО;Фамилия;E-mail;Регион;МО;Телефон;Контактный телефон *\n"
        let refused = try refusal(text)
        #expect(refused.problems.map(\.message) == [
            #"столбцы «ФИО» и «Фамилия» оба дают «Фамилия»: укажите, какой не читать, например --column "Фамилия=skip""#,
            #"столбцы «Телефон» и «Контактный телефон *» оба дают «Телефон»: укажите, какой не читать, например --column "Контактный телефон *=skip""#,
        ])
        let mapped = try RosterFile(data: Data(text.utf8), mapping: RosterColumnMapping(options: ["Фамилия=-", "телефон=skip"]))
        #expect(mapped.title(of: "lastName") == "ФИО" && mapped.title(of: "phone") == "Контактный телефон *")
    }

    @Test func aMappingWinsOverTheBuiltInTitles() throws {
        let text = "ФИО;E-mail;Регион;Субъект, где вы работаете;МО\nИванов Иван;i@mail.ru;Москва;16;Казань\n"
        let roster = try RosterFile(data: Data(text.utf8), mapping: mapping("Субъект, где вы работаете = region"))
        #expect(roster.ignoredColumns == ["Регион"])
        #expect(roster.validate().valid.first?.details.regionCode == "16")
    }

    @Test func mappingFileLinesAreRead() throws {
        let text = """
            # Яндекс Форма «Регистрация», выгрузка 2027
            Субъект, где вы работаете = region

              Город или район=Муниципальное образование\r
            Кто вы = ФИО
            Адрес = a = email
            Комментарий = -
            """
        let entries = try mapping(text).entries
        #expect(entries.map(\.title) == ["Субъект, где вы работаете", "Город или район", "Кто вы", "Адрес = a", "Комментарий"])
        #expect(entries.map(\.column) == [.field(.regionCode), .field(.municipality), .fullName, .field(.email), .skipped])
        #expect(entries.map(\.origin) == ["columns.txt:2", "columns.txt:4", "columns.txt:5", "columns.txt:6", "columns.txt:7"])
        let bom = try RosterColumnMapping(data: Data([0xEF, 0xBB, 0xBF]) + Data("Эл. адрес=E-mail\n".utf8), source: "columns.txt")
        #expect(bom.entries.map(\.title) == ["Эл. адрес"])
    }

    @Test(arguments: [
        ("Регион=region\nСубъект region\n", "columns.txt:2: ожидается «Заголовок в файле = поле»"),
        ("# поля\n\n  = email\n", "columns.txt:3: перед «=» нет заголовка столбца"),
        ("Регион = регоин\n", "columns.txt:1: «регоин» — неизвестное поле; поля: lastName (Фамилия), firstName (Имя)"),
        ("Регион = region\nРЕГИОН = regionCode\n", "columns.txt:2: столбец «РЕГИОН» уже сопоставлен: columns.txt:1"),
    ])
    func badMappingLinesAreNamed(text: String, expected: String) throws {
        let error = #expect(throws: RosterMappingError.self) { try mapping(text) }
        #expect(try #require(error).description.hasPrefix(expected))
    }

    @Test func optionsAreCheckedAndOverrideTheFile() throws {
        let error = #expect(throws: RosterMappingError.self) { try RosterColumnMapping(options: ["Субъект"]) }
        #expect(try #require(error).description == #"--column "Субъект": ожидается «Заголовок в файле = поле»"#)
        let combined = try mapping("Регион = skip\nМО = municipality\n").overridden(by: RosterColumnMapping(options: ["регион=region"]))
        #expect(combined.entries.map(\.column) == [.field(.municipality), .field(.regionCode)])
        #expect(combined.entries.last?.origin == #"--column "регион=region""#)
    }

    @Test func aMappedTitleMissingFromTheFileIsNamedWithTheClosestHeader() throws {
        let refused = try refusal("ФИО;E-mail;Субъект, где вы работаете;МО\n", mapping: mapping("Субъект где работаете = region"))
        #expect(refused.problems.map(\.description) == [
            "строка 1: в файле нет столбца «Субъект где работаете» (columns.txt:1); похожий столбец: «Субъект, где вы работаете»",
            #"строка 1: нет обязательного столбца «Регион»; похожий столбец в файле: «Субъект, где вы работаете» — укажите --column "Субъект, где вы работаете=region""#,
        ])
    }

    @Test func aMissingColumnSuggestsTheClosestHeader() throws {
        let refused = try refusal("ФИО гостя;Адрес электронной почты участника;Субъект, где вы работаете;Город;Комментарий\n")
        #expect(refused.problems.allSatisfy { $0.line == 1 })
        #expect(refused.problems.map(\.message) == [
            #"нет обязательного столбца «Фамилия»; похожий столбец в файле: «ФИО гостя» — укажите --column "ФИО гостя=fullName""#,
            #"нет обязательного столбца «Имя»; похожий столбец в файле: «ФИО гостя» — укажите --column "ФИО гостя=fullName""#,
            #"нет обязательного столбца «E-mail»; похожий столбец в файле: «Адрес электронной почты участника» — укажите --column "Адрес электронной почты участника=email""#,
            #"нет обязательного столбца «Регион»; похожий столбец в файле: «Субъект, где вы работаете» — укажите --column "Субъект, где вы работаете=region""#,
            #"нет обязательного столбца «Муниципальное образование»; если он есть под другим заголовком, укажите --column "Заголовок в файле=municipality""#,
        ])
        // A typo or another ending is close; an unrelated title is not suggested.
        let typo = try refusal("ФИО;E-mail;МО;Регоин;Телефон\n")
        #expect(typo.problems.map(\.message) == [#"нет обязательного столбца «Регион»; похожий столбец в файле: «Регоин» — укажите --column "Регоин=region""#])
        let nothingClose = try refusal("ФИО;E-mail;МО\n")
        #expect(nothingClose.problems.map(\.message) == ["нет обязательного столбца «Регион»"])
    }
}
