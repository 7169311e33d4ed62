import ForumDomain

/// What a column of a registration-form export holds, and the titles forumops recognises for it
/// in Russian or English, compared as `RosterTitle`s (any case, `ё` = `е`, punctuation and
/// form filler words left out).
///
/// | column | built-in titles |
/// | --- | --- |
/// | lastName | Фамилия, Фамилия участника, Last name, Surname |
/// | firstName | Имя, Имя участника, First name |
/// | patronymic | Отчество, Patronymic, Middle name |
/// | fullName | ФИО, Ф.И.О., «Фамилия, имя, отчество», ФИО участника, Full name — split into surname, name, patronymic |
/// | email | E-mail, Электронная почта, Адрес электронной почты, Адрес эл. почты, Электронный адрес, Почта |
/// | phone | Телефон, Мобильный телефон, Номер телефона, Телефон для связи, Сотовый телефон, Phone |
/// | regionCode | Регион, Регион РФ, Субъект РФ, Субъект Российской Федерации, Субъект федерации, Код региона, Region |
/// | municipality | Муниципальное образование, Наименование муниципального образования, Муниципалитет, МО, Муниципальный район, Городской округ, Поселение, Населённый пункт, Municipality |
/// | organisation | Организация, Место работы, Наименование организации, Название организации, Орган власти, Учреждение, Organisation |
/// | position | Должность, Занимаемая должность, Position, Job title |
/// | category | Категория, Тип участника, Category |
/// | externalId | Номер заявки, № заявки, ID заявки, Номер анкеты, Регистрационный номер, External id, Id |
/// | skipped | ID forumops, Статус, Ошибки: columns forumops writes, read and ignored |
///
/// «Номер», «Контакты», «Код» and «Name» could mean either of two columns: such a title is never
/// read without a mapping.
public enum RosterColumn: Sendable, Hashable {
    case field(ParticipantField)
    /// «ФИО» in one cell.
    case fullName
    /// A column read and ignored: one forumops writes (ID forumops, Статус, Ошибки) or one an
    /// organiser maps to `skip`.
    case skipped

    /// The column a mapping names: an API name (`email`, `regionCode` or `region`…), a Russian
    /// title («E-mail», «Регион»…), `fullName` or `ФИО`, `skip`, `-` or `пропустить`; in any case.
    public init?(name: String) {
        guard let column = Self.byName[RussianText.searchKey(name)] else { return nil }
        self = column
    }

    /// The name a mapping uses for it: `email`, `region`, `fullName`, `skip`.
    public var name: String {
        switch self {
        case .field(.regionCode): "region"
        case .field(let field): field.rawValue
        case .fullName: "fullName"
        case .skipped: "skip"
        }
    }

    /// The title people see: «E-mail», «ФИО», «пропустить».
    var title: String {
        switch self {
        case .field(let field): field.russianName
        case .fullName: "ФИО"
        case .skipped: "пропустить"
        }
    }

    /// The fields its cells fill.
    var fields: [ParticipantField] {
        switch self {
        case .field(let field): [field]
        case .fullName: [.lastName, .firstName, .patronymic]
        case .skipped: []
        }
    }

    /// The columns a file's title stands for by the built-in titles: none, one, or (for a title
    /// like «Номер» or «E-mail или телефон») several.
    static func candidates(forTitle title: String) -> Set<RosterColumn> {
        RosterTitle.readings(of: title).reduce(into: []) { $0.formUnion(byTitle[$1, default: []]) }
    }

    /// The built-in titles of each column.
    static let titles: [RosterColumn: [RosterTitle]] = {
        var titles: [RosterColumn: [String]] = [
            .fullName: ["ФИО", "Ф.И.О.", "Фамилия, имя, отчество", "ФИО участника", "Full name", "Name"],
            .skipped: ["ID forumops", "Статус", "Status", "Ошибки"],
            .field(.lastName): ["Last name", "Surname", "Family name", "Фамилия участника"],
            .field(.firstName): ["First name", "Given name", "Name", "Имя участника"],
            .field(.patronymic): ["Patronymic", "Middle name"],
            .field(.email): ["Электронная почта", "Адрес электронной почты", "Почта", "Эл. почта", "E-mail адрес", "Mail", "Контакты",
                             "Адрес эл. почты", "Электронный адрес", "Эл. адрес", "E-mail для связи", "Email для связи"],
            .field(.phone): ["Phone", "Мобильный телефон", "Мобильный", "Номер телефона", "Tel", "Номер", "Контакты",
                             "Телефон для связи", "Моб. телефон", "Сотовый телефон", "Мобильный номер", "Номер мобильного телефона"],
            .field(.regionCode): ["Region", "Region code", "Субъект РФ", "Субъект Российской Федерации", "Субъект", "Код региона", "Код",
                                  "Регион РФ", "Субъект федерации", "Регион (субъект РФ)", "Область, край, республика"],
            .field(.municipality): ["Municipality", "Муниципалитет", "МО", "Муниципальный район/городской округ",
                                    "Наименование муниципального образования", "Название муниципального образования",
                                    "Муниципальный район", "Муниципальный округ", "Городской округ", "Поселение",
                                    "Населённый пункт", "Город/населённый пункт"],
            .field(.organisation): ["Organisation", "Organization", "Место работы", "Наименование организации",
                                    "Название организации", "Полное наименование организации", "Организация (место работы)",
                                    "Орган власти", "Учреждение", "Ведомство", "Company", "Employer"],
            .field(.position): ["Position", "Job title", "Занимаемая должность", "Должность участника", "Должность (полностью)"],
            .field(.category): ["Category", "Тип участника"],
            .field(.externalID): ["External id", "ID", "№ заявки", "ID заявки", "Registration id", "Номер", "Код",
                                  "Номер анкеты", "№ анкеты", "ID анкеты", "Регистрационный номер", "Номер регистрации"],
        ]
        for field in ParticipantField.allCases {
            titles[.field(field), default: []] += [field.russianName, field.rawValue]
        }
        return titles.mapValues { $0.map(RosterTitle.init) }
    }()

    private static let byTitle: [RosterTitle: Set<RosterColumn>] = titles.reduce(into: [:]) { byTitle, entry in
        for title in entry.value { byTitle[title, default: []].insert(entry.key) }
    }

    /// Every column, in the order messages list them.
    private static let all: [RosterColumn] = [.field(.lastName), .field(.firstName), .field(.patronymic), .fullName]
        + ParticipantField.allCases.dropFirst(3).map(RosterColumn.field) + [.skipped]

    private static let byName: [String: RosterColumn] = all.reduce(into: ["-": .skipped, "regioncode": .field(.regionCode)]) { names, column in
        names[RussianText.searchKey(column.name)] = column
        names[RussianText.searchKey(column.title)] = column
    }

    /// The names `init(name:)` accepts, for messages: «lastName (Фамилия), …, skip (пропустить)».
    static let names = all.map { "\($0.name) (\($0.title))" }.joined(separator: ", ")
}
