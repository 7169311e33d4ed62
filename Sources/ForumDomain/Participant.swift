import Foundation

/// A registered person: the validated details plus what forumops itself assigns.
public struct Participant: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var details: ParticipantDetails
    public var status: ParticipantStatus
    /// Printed on the badge; a reprint raises it and older badges stop working.
    public var badgeSerial: Int
    /// Secret token of the participant's personal schedule feed.
    public var feedToken: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, details: ParticipantDetails, status: ParticipantStatus = .registered,
        badgeSerial: Int = 1, feedToken: String, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.details = details
        self.status = status
        self.badgeSerial = badgeSerial
        self.feedToken = feedToken
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The fields an organiser or a registration form supplies, already validated and normalised.
public struct ParticipantDetails: Sendable, Hashable, Codable {
    public var lastName: String
    public var firstName: String
    public var patronymic: String?
    public var email: String
    public var phone: String?
    public var regionCode: String
    public var municipality: String
    public var organisation: String?
    public var position: String?
    public var category: ParticipantCategory
    /// The id the registration form gave this person, if any.
    public var externalID: String?

    public init(
        lastName: String, firstName: String, patronymic: String? = nil, email: String,
        phone: String? = nil, regionCode: String, municipality: String, organisation: String? = nil,
        position: String? = nil, category: ParticipantCategory = .participant, externalID: String? = nil
    ) {
        self.lastName = lastName
        self.firstName = firstName
        self.patronymic = patronymic
        self.email = email
        self.phone = phone
        self.regionCode = regionCode
        self.municipality = municipality
        self.organisation = organisation
        self.position = position
        self.category = category
        self.externalID = externalID
    }

    /// «Фамилия Имя Отчество».
    public var fullName: String {
        Self.fullName(lastName: lastName, firstName: firstName, patronymic: patronymic)
    }

    /// «Фамилия Имя Отчество» from its parts.
    public static func fullName(lastName: String, firstName: String, patronymic: String?) -> String {
        [lastName, firstName, patronymic].compactMap { $0 }.joined(separator: " ")
    }

    /// The federal subject named by `regionCode` (a code unknown to this build — stored by a
    /// newer one — stands for itself rather than crash a server).
    public var region: FederalSubject {
        FederalSubject.named(byCode: regionCode)
    }

    /// The field as text, as a form carries it (the category by its code).
    public func text(of field: ParticipantField) -> String? {
        switch field {
        case .lastName: lastName
        case .firstName: firstName
        case .patronymic: patronymic
        case .email: email
        case .phone: phone
        case .regionCode: regionCode
        case .municipality: municipality
        case .organisation: organisation
        case .position: position
        case .category: category.rawValue
        case .externalID: externalID
        }
    }

    /// These details with `fields` taken from `other`, the rest kept.
    public func replacing(_ fields: Set<ParticipantField>, from other: ParticipantDetails) -> ParticipantDetails {
        var merged = self
        for field in fields {
            switch field {
            case .lastName: merged.lastName = other.lastName
            case .firstName: merged.firstName = other.firstName
            case .patronymic: merged.patronymic = other.patronymic
            case .email: merged.email = other.email
            case .phone: merged.phone = other.phone
            case .regionCode: merged.regionCode = other.regionCode
            case .municipality: merged.municipality = other.municipality
            case .organisation: merged.organisation = other.organisation
            case .position: merged.position = other.position
            case .category: merged.category = other.category
            case .externalID: merged.externalID = other.externalID
            }
        }
        return merged
    }

    /// Two registrations with the same key are probably the same person registered twice.
    public var likelyDuplicateKey: String {
        Self.likelyDuplicateKey(fullName: RussianText.searchKey(fullName), municipality: RussianText.searchKey(municipality))
    }

    /// The likely-duplicate key of a full name and a municipality already folded by `RussianText.searchKey`.
    public static func likelyDuplicateKey(fullName: String, municipality: String) -> String {
        fullName + "|" + municipality
    }
}

/// Whether a registration stands.
public enum ParticipantStatus: String, Sendable, Codable, CaseIterable {
    case registered
    case cancelled
}

/// What a person is at the forum; it decides the badge colour and some access rules.
public enum ParticipantCategory: String, Sendable, Codable, CaseIterable {
    case participant
    case speaker
    case moderator
    case guestOfHonour = "guest_of_honour"
    case press
    case organiser
    case volunteer
    case staff

    /// The Russian name used on badges, in exports and in messages.
    public var russianName: String {
        switch self {
        case .participant: "Участник"
        case .speaker: "Спикер"
        case .moderator: "Модератор"
        case .guestOfHonour: "Почётный гость"
        case .press: "Пресса"
        case .organiser: "Организатор"
        case .volunteer: "Волонтёр"
        case .staff: "Персонал"
        }
    }

    /// Reads a category written as its code or its Russian name, in any case, `ё` or `е`
    /// («спикер», «Почетный гость», `guest_of_honour`); also «СМИ» for press.
    public init?(parsing text: String) {
        guard let category = Self.byName[RussianText.searchKey(text)] else { return nil }
        self = category
    }

    private static let byName: [String: ParticipantCategory] = {
        var names: [String: ParticipantCategory] = ["сми": .press]
        for category in allCases {
            names[category.rawValue] = category
            names[RussianText.searchKey(category.russianName)] = category
        }
        return names
    }()
}
