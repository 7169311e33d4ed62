import ForumDomain

/// Recognises the column titles of registration-form exports, in Russian or English.
///
/// | field | accepted titles (any case, `ё` = `е`) |
/// | --- | --- |
/// | lastName | Фамилия, Last name, Surname |
/// | firstName | Имя, First name |
/// | patronymic | Отчество, Patronymic, Middle name |
/// | (all three) | ФИО, Full name — split into surname, name, patronymic |
/// | email | E-mail, Email, Электронная почта, Почта |
/// | phone | Телефон, Phone, Мобильный телефон |
/// | regionCode | Регион, Субъект РФ, Код региона, Region |
/// | municipality | Муниципальное образование, Муниципалитет, МО, Municipality |
/// | organisation | Организация, Место работы, Organisation, Organization |
/// | position | Должность, Position, Job title |
/// | category | Категория, Category |
/// | externalId | Номер заявки, № заявки, ID заявки, External id, Id |
public enum RosterColumn: Sendable, Hashable {
    case field(ParticipantField)
    /// «ФИО» in one cell.
    case fullName
    /// A column forumops writes and ignores on import (ID forumops, Статус, Ошибки).
    case exportOnly

    /// The column a title names, or `nil` if it is not recognised.
    public init?(title: String) {
        let key = RussianText.searchKey(title).replacingOccurrences(of: "_", with: " ")
        guard let column = Self.byTitle[key] else { return nil }
        self = column
    }

    private static let byTitle: [String: RosterColumn] = {
        var titles: [String: RosterColumn] = ["фио": .fullName, "full name": .fullName, "ф.и.о.": .fullName]
        for title in ["id forumops", "статус", "status", "ошибки"] { titles[title] = .exportOnly }
        let aliases: [ParticipantField: [String]] = [
            .lastName: ["lastname", "surname", "family name"],
            .firstName: ["firstname", "given name"],
            .patronymic: ["patronymic", "middle name", "middlename"],
            .email: ["email", "электронная почта", "адрес электронной почты", "почта", "эл. почта", "e-mail адрес"],
            .phone: ["phone", "мобильный телефон", "контактный телефон", "tel"],
            .regionCode: ["region", "region code", "regioncode", "субъект рф", "субъект", "код региона"],
            .municipality: ["municipality", "муниципалитет", "мо", "муниципальный район/городской округ"],
            .organisation: ["organisation", "organization", "место работы"],
            .position: ["position", "job title"],
            .category: ["category", "тип участника"],
            .externalID: ["externalid", "external id", "id", "№ заявки", "id заявки", "registration id"],
        ]
        for field in ParticipantField.allCases {
            titles[RussianText.searchKey(field.russianName)] = .field(field)
            titles[RussianText.searchKey(field.rawValue)] = .field(field)
            for alias in aliases[field, default: []] { titles[alias] = .field(field) }
        }
        titles["last name"] = .field(.lastName)
        titles["first name"] = .field(.firstName)
        return titles
    }()
}
