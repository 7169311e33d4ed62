/// The editable fields of a participant, with the names people see; the raw value is the
/// field's API name, also its JSON key.
public enum ParticipantField: String, Sendable, CaseIterable, Codable, CodingKey {
    case lastName
    case firstName
    case patronymic
    case email
    case phone
    case regionCode
    case municipality
    case organisation
    case position
    case category
    case externalID = "externalId"

    /// The position in `allCases`, for storage by field without hashing.
    var ordinal: Int {
        switch self {
        case .lastName: 0
        case .firstName: 1
        case .patronymic: 2
        case .email: 3
        case .phone: 4
        case .regionCode: 5
        case .municipality: 6
        case .organisation: 7
        case .position: 8
        case .category: 9
        case .externalID: 10
        }
    }

    /// The Russian column title used in CSV exports and messages.
    public var russianName: String {
        switch self {
        case .lastName: "Фамилия"
        case .firstName: "Имя"
        case .patronymic: "Отчество"
        case .email: "E-mail"
        case .phone: "Телефон"
        case .regionCode: "Регион"
        case .municipality: "Муниципальное образование"
        case .organisation: "Организация"
        case .position: "Должность"
        case .category: "Категория"
        case .externalID: "Номер заявки"
        }
    }

    /// The longest value accepted, in characters.
    var maximumLength: Int {
        switch self {
        case .lastName, .firstName, .patronymic: 100
        case .email: 254
        case .phone: 32
        case .regionCode: 100
        case .municipality, .organisation, .position: 500
        case .category: 50
        case .externalID: 100
        }
    }
}
