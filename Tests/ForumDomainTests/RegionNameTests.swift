import ForumDomain
import Testing

/// Regions as real registration forms write them.
@Suite struct RegionNameTests {
    @Test(arguments: [
        ("Новосибирская обл.", "54"), ("обл. Новосибирская", "54"), ("Новосибирская обл", "54"), ("НОВОСИБИРСКАЯ ОБЛАСТЬ", "54"),
        ("Респ. Татарстан", "16"), ("Татарстан Респ.", "16"), ("Республика Татарстан (Татарстан)", "16"), ("респ татарстан", "16"),
        ("г. Москва", "77"), ("г.Москва", "77"), ("Москва г", "77"), ("город федерального значения Москва", "77"), ("Moscow", "77"),
        ("Чувашия", "21"), ("Чувашская Республика", "21"), ("Якутия", "14"), ("Республика Саха", "14"), ("Саха (Якутия)", "14"),
        ("Кузбасс", "42"), ("Кемеровская область — Кузбасс", "42"), ("Кемеровская обл. - Кузбасс", "42"),
        ("Югра", "86"), ("ХМАО", "86"), ("ХМАО — Югра", "86"), ("ХМАО-Югра", "86"), ("Ханты-Мансийский АО", "86"),
        ("ЯНАО", "89"), ("Ямало-Ненецкий авт. округ", "89"), ("Ненецкий АО", "83"), ("НАО", "83"), ("ЕАО", "79"),
        ("Северная Осетия", "15"), ("Республика Северная Осетия-Алания", "15"), ("Алания", "15"),
        ("Кабардино-Балкария", "07"), ("КБР", "07"), ("Кабардино-Балкарская Респ.", "07"), ("Карачаево-Черкесия", "09"),
        ("Башкирия", "02"), ("Удмуртия", "18"), ("Чечня", "20"), ("Тува", "17"), ("Тыва", "17"),
        ("Пермский кр.", "59"), ("край Пермский", "59"), ("Алтайский край", "22"), ("Респ. Алтай", "04"), ("Республика Алтай", "04"),
        ("Санкт-Петербург", "78"), ("г. Санкт-Петербург", "78"), ("СПб", "78"), ("Saint Petersburg", "78"),
        ("Орловская обл.", "57"),
        ("Еврейская АО", "79"), ("Чукотский АО", "87"), ("Чувашская Республика — Чувашия", "21"), ("16 Респ.", "16"),
        ("16", "16"), ("016", "16"), ("7", "07"), ("07", "07"), ("16 — Республика Татарстан", "16"), ("Крым", "91"), ("ДНР", "93"),
    ])
    func formsAsPeopleWriteThem(_ text: String, _ code: String) {
        #expect(FederalSubject.match(text) == .subject(FederalSubject.byCode[code]!), "\(text)")
    }

    @Test func everyOfficialNameFindsItselfInAnyCaseAndWithЁ() {
        for subject in FederalSubject.all {
            #expect(FederalSubject.find(subject.name) == subject, "\(subject.name)")
            #expect(FederalSubject.find(subject.name.uppercased()) == subject, "\(subject.name)")
            #expect(FederalSubject.find(subject.code) == subject)
        }
        #expect(FederalSubject.find("чеченская республика")?.code == "20")
        #expect(FederalSubject.find("ЧЕЛЯБИНСКАЯ область".replacingOccurrences(of: "Е", with: "Ё"))?.code == "74", "ё is е")
    }

    @Test func twoSubjectsAreNeverGuessedBetween() {
        let altai = FederalSubject.match("Алтай")
        #expect(altai == .ambiguous([FederalSubject.byCode["04"]!, FederalSubject.byCode["22"]!]))
        let message = FederalSubject.refusal(for: "Алтай")
        #expect(message.contains("неоднозначно") && message.contains("Республика Алтай (04)") && message.contains("Алтайский край (22)"))
    }

    @Test(arguments: ["Атлантида", "край область Пермская", "16 Москва", "Москва обл.", "Москва и Московская область", "0", "100", "", "обл.",
                      "Ненецкий край", "16 обл.", "77 край", String(repeating: "Татарстан ", count: 20)])
    func whatNamesNoSubjectIsUnknown(_ text: String) {
        #expect(FederalSubject.match(text) == .unknown, "\(text)")
        #expect(FederalSubject.refusal(for: text).contains("неизвестный регион"))
    }
}
