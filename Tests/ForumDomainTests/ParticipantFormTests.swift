import ForumDomain
import Testing

@Suite struct ParticipantFormTests {
    private func errors(_ change: (inout ParticipantForm) -> Void) -> [String: String] {
        var form = validForm()
        change(&form)
        do {
            _ = try form.validated()
            return [:]
        } catch {
            return Dictionary(error.errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
        }
    }

    private func validForm() -> ParticipantForm {
        var form = ParticipantForm()
        form[.lastName] = "  Салтыков-Щедрин "
        form[.firstName] = "Михаил"
        form[.patronymic] = "Евграфович"
        form[.email] = "M.Saltykov@Tver-Region.RU"
        form[.phone] = "8 (912) 345-67-89"
        form[.regionCode] = "69"
        form[.municipality] = "Городской округ   город Тверь"
        form[.category] = "Почетный гость"
        form[.externalID] = "A-17"
        return form
    }

    @Test func validFormIsNormalised() throws {
        let details = try validForm().validated()
        #expect(details.lastName == "Салтыков-Щедрин")
        #expect(details.fullName == "Салтыков-Щедрин Михаил Евграфович")
        #expect(details.email == "m.saltykov@tver-region.ru")
        #expect(details.phone == "+79123456789")
        #expect(details.regionCode == "69")
        #expect(details.region.name == "Тверская область")
        #expect(details.municipality == "Городской округ город Тверь")
        #expect(details.category == .guestOfHonour)
        #expect(details.externalID == "A-17")
    }

    @Test func requiredFieldsAreNamed() {
        let found = errors { form in
            form[.lastName] = " "
            form[.firstName] = nil
            form[.email] = ""
            form[.regionCode] = nil
            form[.municipality] = nil
        }
        #expect(Set(found.keys) == ["lastName", "firstName", "email", "regionCode", "municipality"])
        #expect(found["email"] == "обязательное поле не заполнено")
    }

    @Test func optionalFieldsMayBeMissing() throws {
        var form = validForm()
        form[.patronymic] = nil
        form[.phone] = ""
        form[.category] = nil
        form[.externalID] = nil
        let details = try form.validated()
        #expect(details.patronymic == nil)
        #expect(details.phone == nil)
        #expect(details.category == .participant)
    }

    @Test(arguments: ["Иванов2", "Иванов!", "-Иванов", "Ivanov_"])
    func namesRejectDigitsAndSymbols(_ name: String) {
        #expect(errors { $0[.lastName] = name }["lastName"]?.contains(name) == true)
    }

    @Test(arguments: ["Д'Артаньян", "Мамед оглы", "Ким", "Smith", "Ёлкин"])
    func namesAcceptRealNames(_ name: String) {
        #expect(errors { $0[.lastName] = name }.isEmpty)
    }

    @Test(arguments: ["ivanov", "ivanov@", "@mail.ru", "ivanov@mail", "iva nov@mail.ru", "a..b@mail.ru", "a@b.c", "a@-x.ru", "=1+2@mail.ru"])
    func emailSyntaxIsChecked(_ email: String) {
        #expect(errors { $0[.email] = email }["email"]?.contains("электронной почты") == true)
    }

    @Test(arguments: ["глава@администрация.рф", "first.last+forum@mail.ru", "o'brien@example.com"])
    func emailAcceptsRealAddresses(_ email: String) {
        #expect(errors { $0[.email] = email }.isEmpty)
    }

    @Test(arguments: [
        ("+7 912 345-67-89", "+79123456789"), ("89123456789", "+79123456789"), ("7 (912) 3456789", "+79123456789"),
        ("912 345 67 89", "+79123456789"), ("+375 29 123-45-67", "+375291234567"), ("8 (843) 231-00-00", "+78432310000"),
        ("(+) 375291234567", "+375291234567"), ("(+375) 29 123-45-67", "+375291234567"),
    ])
    func phonesAreNormalised(_ input: String, _ expected: String) throws {
        var form = validForm()
        form[.phone] = input
        #expect(try form.validated().phone == expected)
    }

    @Test(arguments: ["12345", "+7 912 ABC", "8 912 345 67 89 00", "++79123456789", "1234567890"])
    func phoneSyntaxIsChecked(_ phone: String) {
        #expect(errors { $0[.phone] = phone }["phone"] != nil)
    }

    @Test(arguments: [("16", "16"), ("7", "07"), ("Республика Татарстан", "16"), ("татарстан", "16"), ("г. Москва", "77"),
                      ("Кузбасс", "42"), ("Якутия", "14"), ("ХМАО", "86"), ("Орловская область", "57"), ("Северная Осетия", "15")])
    func regionsByCodeOrName(_ input: String, _ code: String) throws {
        var form = validForm()
        form[.regionCode] = input
        #expect(try form.validated().regionCode == code)
    }

    @Test(arguments: ["00", "80", "Атлантида", "100"])
    func unknownRegionsAreRejected(_ region: String) {
        #expect(errors { $0[.regionCode] = region }["regionCode"]?.contains("неизвестный регион") == true)
    }

    @Test func categoriesByCodeOrRussianName() throws {
        #expect(ParticipantCategory(parsing: "speaker") == .speaker)
        #expect(ParticipantCategory(parsing: "ВОЛОНТЕР") == .volunteer)
        #expect(ParticipantCategory(parsing: "guest_of_honour") == .guestOfHonour)
        #expect(ParticipantCategory(parsing: "СМИ") == .press)
        #expect(errors { $0[.category] = "Зритель" }["category"]?.contains("Спикер") == true)
    }

    @Test(arguments: [ParticipantField.municipality, .organisation, .position, .externalID])
    func spreadsheetFormulasAreRejected(_ field: ParticipantField) {
        for formula in ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)"] {
            #expect(errors { $0[field] = formula }[field.rawValue]?.contains("формулы Excel") == true)
        }
    }

    @Test func tooLongValuesAreRejected() {
        #expect(errors { $0[.municipality] = String(repeating: "я", count: 501) }["municipality"]?.contains("500") == true)
    }

    @Test func applyingAPatchKeepsOtherFieldsAndRevalidates() throws {
        let details = try validForm().validated()
        var patch = ParticipantForm()
        patch[.position] = "Глава города"
        patch[.phone] = ""
        let patched = try patch.applied(to: details)
        #expect(patched.position == "Глава города")
        #expect(patched.phone == nil)
        #expect(patched.email == details.email)
        patch[.email] = "не почта"
        #expect(throws: ValidationFailure.self) { try patch.applied(to: details) }
    }

    @Test func federalSubjectsAreComplete() {
        #expect(FederalSubject.all.count == 89)
        #expect(Set(FederalSubject.all.map(\.code)).count == 89)
    }
}

@Suite struct RussianTextTests {
    @Test(arguments: [
        ("Ёлкина", "Ёлкина"), ("  Ёлкина  ", "Ёлкина"), ("Глава\tгорода", "Глава города"), ("Глава  города", "Глава города"),
        ("Глава\u{00A0}города", "Глава города"), ("«Рассвет»\u{2003}МО ", "«Рассвет» МО"), ("Иван\nИванович", "Иван Иванович"),
        ("Администрация «Рассвет»", "Администрация «Рассвет»"), (" ", ""), ("\u{3000}", ""), ("a b", "a b"),
    ])
    func tidyTrimsAndCollapsesEveryKindOfSpace(_ text: String, _ tidied: String) {
        #expect(RussianText.tidy(text) == (tidied.isEmpty ? nil : tidied), "\(Array(text.unicodeScalars))")
    }

    @Test func searchKeyFoldsCaseAndYo() {
        #expect(RussianText.searchKey("  ФЁДОРОВ   Пётр ") == "федоров петр")
        #expect(RussianText.searchKey("Ёлкина") == RussianText.searchKey("елкина"))
    }

    @Test func likelyDuplicateKeyIgnoresCaseYoAndSpaces() throws {
        var a = ParticipantForm()
        a[.lastName] = "Фёдоров"; a[.firstName] = "Пётр"; a[.email] = "a@mail.ru"; a[.regionCode] = "50"; a[.municipality] = "Город Химки"
        var b = a
        b[.lastName] = "ФЕДОРОВ"; b[.firstName] = "петр"; b[.email] = "b@mail.ru"; b[.municipality] = "город  химки"
        #expect(try a.validated().likelyDuplicateKey == b.validated().likelyDuplicateKey)
    }
}

@Suite struct ParticipantFieldTests {
    @Test func everyFieldHasItsOwnPlaceInAForm() {
        var form = ParticipantForm()
        for field in ParticipantField.allCases { form[field] = field.rawValue }
        #expect(ParticipantField.allCases.allSatisfy { form[$0] == $0.rawValue })
        #expect(form.providedFields == Set(ParticipantField.allCases))
    }
}
