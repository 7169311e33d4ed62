import Foundation

/// The JSON shape of a participant, shared by the HTTP API and the CLI's `--json` output.
/// The personal feed token is left out: it is a secret. Without `contacts` the e-mail and phone
/// are left out too: a check-in desk needs to recognise a person, not to reach them.
public struct ParticipantDocument: Sendable, Hashable, Codable {
    public var id: Int64
    public var lastName: String
    public var firstName: String
    public var patronymic: String?
    public var fullName: String
    public var email: String?
    public var phone: String?
    public var regionCode: String
    public var regionName: String
    public var municipality: String
    public var organisation: String?
    public var position: String?
    public var category: ParticipantCategory
    public var categoryName: String
    public var status: ParticipantStatus
    public var externalId: String?
    public var badgeSerial: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(_ participant: Participant, contacts: Bool = true) {
        let details = participant.details
        id = participant.id
        lastName = details.lastName
        firstName = details.firstName
        patronymic = details.patronymic
        fullName = details.fullName
        email = contacts ? details.email : nil
        phone = contacts ? details.phone : nil
        regionCode = details.regionCode
        regionName = details.region.name
        municipality = details.municipality
        organisation = details.organisation
        position = details.position
        category = details.category
        categoryName = details.category.russianName
        status = participant.status
        externalId = details.externalID
        badgeSerial = participant.badgeSerial
        createdAt = participant.createdAt
        updatedAt = participant.updatedAt
    }
}
