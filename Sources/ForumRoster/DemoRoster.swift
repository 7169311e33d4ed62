import ForumDomain

/// A realistic, reproducible roster for demonstrations and benchmarks: Russian names with
/// patronymics, every federal subject, municipalities and positions, a few hundred speakers,
/// press and volunteers. The same seed always gives the same rows.
public struct DemoRoster {
    private var random: SplitMix64

    public init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    /// `count` registration-form rows; every federal subject appears once the roster has 89 rows.
    public mutating func forms(count: Int) -> [ParticipantForm] {
        (0..<count).map { form(number: $0) }
    }

    private mutating func form(number: Int) -> ParticipantForm {
        let isWoman = random.chance(0.38)
        let surname = pick(Self.surnames)
        let father = pick(Self.fathers)
        let subject = number < FederalSubject.all.count ? FederalSubject.all[number] : pick(FederalSubject.all)
        let (municipality, place) = municipality(in: subject)
        let category = category(number: number)
        var form = ParticipantForm()
        form[.lastName] = isWoman ? Self.feminine(surname) : surname
        form[.firstName] = isWoman ? pick(Self.womensNames) : pick(Self.mensNames)
        form[.patronymic] = isWoman ? father.daughter : father.son
        form[.email] = Self.transliterate(surname) + "." + Self.transliterate(String(form[.firstName]!.prefix(1)))
            + String(number + 1) + "@" + pick(Self.mailDomains)
        let code = "9" + random.digits(2)
        let groups = [random.digits(3), random.digits(2), random.digits(2)]
        form[.phone] = switch random.below(3) {  // as people fill in forms
        case 0: "8 (\(code)) \(groups.joined(separator: "-"))"
        case 1: "8\(code)\(groups.joined())"
        default: "\(code) \(groups.joined(separator: " "))"
        }
        form[.regionCode] = subject.name
        form[.municipality] = municipality
        switch category {
        case .press:
            form[.organisation] = pick(Self.mediaOutlets)
            form[.position] = pick(["Корреспондент", "Фотокорреспондент", "Главный редактор", "Оператор"])
        case .volunteer:
            form[.organisation] = "Волонтёры ВАРМСУ"
            form[.position] = "Волонтёр"
        case .organiser, .staff:
            form[.organisation] = "ВАРМСУ"
            form[.position] = pick(["Координатор площадки", "Менеджер программы", "Специалист по аккредитации"])
        default:
            form[.organisation] = "Администрация МО «\(place)»"
            form[.position] = pick(Self.positions)
        }
        form[.category] = category.russianName
        form[.externalID] = "MR-" + String(number + 1).leftPadded(to: 6)
        return form
    }

    private mutating func municipality(in subject: FederalSubject) -> (name: String, place: String) {
        switch random.below(10) {
        case 0..<3: return ("Городской округ город \(subject.capital)", subject.capital)
        case 3..<6:
            let district = pick(Self.districts)
            return ("\(district) муниципальный район", district)
        default:
            let village = pick(Self.villages)
            return ("Сельское поселение \(village)", village)
        }
    }

    private mutating func category(number: Int) -> ParticipantCategory {
        switch random.below(1000) {
        case 0..<20: .speaker
        case 20..<28: .moderator
        case 28..<33: .guestOfHonour
        case 33..<53: .press
        case 53..<61: .organiser
        case 61..<88: .volunteer
        case 88..<93: .staff
        default: .participant
        }
    }

    private mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[random.below(elements.count)]
    }

    static func feminine(_ surname: String) -> String {
        if surname.hasSuffix("ий") { return surname.dropLast(2) + "ая" }
        if surname.hasSuffix("ов") || surname.hasSuffix("ев") || surname.hasSuffix("ёв") || surname.hasSuffix("ин")
            || surname.hasSuffix("ын") { return surname + "а" }
        return surname
    }

    static func transliterate(_ text: String) -> String {
        text.lowercased().map { Self.latin[$0] ?? String($0) }.joined()
    }

    private static let latin: [Character: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
        "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
        "э": "e", "ю": "yu", "я": "ya", "-": "-",
    ]

    static let surnames = [
        "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
        "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
        "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв",
        "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов",
        "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин",
        "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов",
        "Комаров", "Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов",
        "Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов", "Гаврилов",
        "Тихонов", "Казаков", "Афанасьев", "Данилов", "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов",
        "Мартынов", "Ефимов", "Федотов", "Щербаков", "Назаров", "Калинин", "Исаев", "Чернышёв", "Быков",
        "Маслов", "Родионов", "Коновалов", "Лазарев", "Воронин", "Климов", "Филатов", "Пономарёв", "Голубев",
        "Кудрявцев", "Прохоров", "Наумов", "Потапов", "Журавлёв", "Овчинников", "Трофимов", "Леонов",
        "Соболев", "Ермаков", "Колесников", "Гончаров", "Емельянов", "Никифоров", "Грачёв", "Котов",
        "Гришин", "Ефремов", "Архипов", "Громов", "Кириллов", "Малышев", "Панов", "Моисеев", "Румянцев",
        "Акимов", "Кондратьев", "Бирюков", "Горбунов", "Анисимов", "Ерёмин", "Тихомиров", "Галкин",
        "Лукьянов", "Михеев", "Скворцов", "Юдин", "Белоусов", "Нестеров", "Симонов", "Прокофьев",
        "Харитонов", "Князев", "Цветков", "Левин", "Митрофанов", "Воронов", "Аксёнов", "Софронов",
        "Мальцев", "Логинов", "Горшков", "Савин", "Краснов", "Майоров", "Демидов", "Елисеев", "Рыбаков",
        "Сафонов", "Плотников", "Дёмин", "Хохлов", "Жданов", "Руденко", "Шевченко", "Бондаренко",
        "Ткаченко", "Кравченко", "Черных", "Седых", "Ким", "Цой", "Хабибуллин", "Гарипов", "Сафин",
        "Ахмедов", "Алиев", "Магомедов", "Гаджиев", "Абдуллаев", "Кадыров", "Батуев", "Доржиев",
        "Бадмаев", "Ооржак", "Саая", "Мамедов", "Исмаилов", "Байрамов", "Салтыков-Щедрин",
        "Римский-Корсаков", "Мусин-Пушкин", "Вяземский", "Ольшанский", "Загорский", "Добровольский",
    ]

    static let mensNames = [
        "Александр", "Сергей", "Андрей", "Алексей", "Дмитрий", "Владимир", "Евгений", "Игорь", "Михаил",
        "Николай", "Юрий", "Олег", "Виктор", "Иван", "Павел", "Константин", "Максим", "Роман", "Василий",
        "Анатолий", "Артём", "Геннадий", "Вячеслав", "Валерий", "Денис", "Илья", "Никита", "Пётр",
        "Григорий", "Фёдор", "Леонид", "Руслан", "Тимур", "Ринат", "Аслан", "Баир", "Эдуард", "Станислав",
    ]

    static let womensNames = [
        "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Марина", "Юлия", "Екатерина",
        "Людмила", "Галина", "Мария", "Надежда", "Оксана", "Валентина", "Анастасия", "Любовь", "Виктория",
        "Лариса", "Алёна", "Дарья", "Ксения", "Вера", "Нина", "Евгения", "Жанна", "Алсу", "Гульнара",
    ]

    static let fathers: [(son: String, daughter: String)] = [
        ("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"), ("Андреевич", "Андреевна"),
        ("Алексеевич", "Алексеевна"), ("Дмитриевич", "Дмитриевна"), ("Владимирович", "Владимировна"),
        ("Евгеньевич", "Евгеньевна"), ("Игоревич", "Игоревна"), ("Михайлович", "Михайловна"),
        ("Николаевич", "Николаевна"), ("Юрьевич", "Юрьевна"), ("Олегович", "Олеговна"),
        ("Викторович", "Викторовна"), ("Иванович", "Ивановна"), ("Павлович", "Павловна"),
        ("Васильевич", "Васильевна"), ("Анатольевич", "Анатольевна"), ("Геннадьевич", "Геннадьевна"),
        ("Валерьевич", "Валерьевна"), ("Петрович", "Петровна"), ("Фёдорович", "Фёдоровна"),
        ("Григорьевич", "Григорьевна"), ("Ильич", "Ильинична"), ("Никитич", "Никитична"),
        ("Львович", "Львовна"), ("Борисович", "Борисовна"), ("Степанович", "Степановна"),
        ("Рашидович", "Рашидовна"), ("Магомедович", "Магомедовна"), ("Аркадьевич", "Аркадьевна"),
    ]

    static let districts = [
        "Заречный", "Центральный", "Северный", "Приозёрный", "Лесной", "Октябрьский", "Советский",
        "Первомайский", "Красноармейский", "Кировский", "Ленинский", "Пригородный", "Степной",
        "Белозёрский", "Новосёловский", "Покровский", "Никольский", "Усть-Ключевской", "Верхнекамский",
        "Тальменский", "Богородский", "Сосновский", "Кочёвский", "Шатровский", "Ясногорский",
    ]

    static let villages = [
        "Никольское", "Покровское", "Михайловка", "Александровка", "Берёзовка", "Ивановка", "Сосновка",
        "Красное", "Октябрьское", "Знаменка", "Васильевка", "Троицкое", "Петровское", "Воскресенское",
        "Садовое", "Раздолье", "Луговое", "Черёмушки", "Ключи", "Большие Вязёмы", "Малая Пурга",
        "Усть-Кулом", "Верх-Исеть", "Новоалександровское", "Кременки", "Боровое", "Заозерье",
    ]

    static let positions = [
        "Глава муниципального образования", "Глава администрации", "Глава сельского поселения",
        "Глава городского округа", "Председатель представительного органа муниципального образования",
        "Заместитель главы администрации", "Депутат представительного органа", "Руководитель аппарата администрации",
        "Начальник управления жилищно-коммунального хозяйства", "Начальник отдела по делам молодёжи",
        "Председатель контрольно-счётной палаты", "Начальник финансового управления", "Староста сельского населённого пункта",
        "Председатель совета территориального общественного самоуправления", "Муниципальный служащий",
    ]

    static let mediaOutlets = [
        "ТАСС", "РИА Новости", "Российская газета", "Парламентская газета", "Муниципальная Россия",
        "Первый канал", "Россия 24", "Интерфакс", "Коммерсантъ", "Областное телевидение",
    ]

    static let mailDomains = ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "rambler.ru", "list.ru", "inbox.ru"]
}

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same sequence on
/// every platform, which `SystemRandomNumberGenerator` does not.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound`.
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < probability
    }

    /// `count` random decimal digits.
    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(below(10))) })
    }
}
