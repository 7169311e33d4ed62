import Foundation

/// What a badge check needs to know about its holder: who, whether the registration stands,
/// which printing is current and the category a list may admit.
public protocol BadgeHolder: Sendable {
    var id: Int64 { get }
    var status: ParticipantStatus { get }
    var badgeSerial: Int { get }
    var category: ParticipantCategory { get }
}

extension Participant: BadgeHolder {
    public var category: ParticipantCategory { details.category }
}

/// Who a person is, as the door shows them and a desk keeps them offline: no e-mail, no phone.
public struct DoorPerson: BadgeHolder, Hashable, Codable {
    public var id: Int64
    public var lastName: String
    public var fullName: String
    public var category: ParticipantCategory
    public var categoryName: String
    public var regionName: String
    public var municipality: String
    public var position: String?
    public var status: ParticipantStatus
    public var badgeSerial: Int

    public init(_ participant: Participant) {
        let details = participant.details
        self.init(
            id: participant.id, lastName: details.lastName, firstName: details.firstName, patronymic: details.patronymic,
            category: details.category, regionCode: details.regionCode, municipality: details.municipality, position: details.position,
            status: participant.status, badgeSerial: participant.badgeSerial
        )
    }

    public init(
        id: Int64, lastName: String, firstName: String, patronymic: String?, category: ParticipantCategory, regionCode: String,
        municipality: String, position: String?, status: ParticipantStatus, badgeSerial: Int
    ) {
        self.id = id
        self.lastName = lastName
        self.fullName = ParticipantDetails.fullName(lastName: lastName, firstName: firstName, patronymic: patronymic)
        self.category = category
        self.categoryName = category.russianName
        self.regionName = FederalSubject.named(byCode: regionCode).name
        self.municipality = municipality
        self.position = position
        self.status = status
        self.badgeSerial = badgeSerial
    }
}

/// What a desk needs to decide scans on its own, or what changed since its last copy: the list,
/// the people (changed since `cursor.people`), the sign-ups a hall admits, the standing
/// check-ins at the list (since `cursor.checkIns`) and the key that verifies badges.
public struct DeskSnapshot: Sendable, Hashable, Codable {
    /// Where a desk's copy stands: the last participant revision and check-in id it holds.
    public struct Cursor: Sendable, Hashable, Codable {
        public var people: Int64
        public var checkIns: Int64

        public init(people: Int64 = 0, checkIns: Int64 = 0) {
            self.people = people
            self.checkIns = checkIns
        }

        /// A desk with nothing yet: the answer is then the whole list.
        public var isEmpty: Bool { people == 0 && checkIns == 0 }
    }

    /// A standing check-in at the list, as much of it as a desk needs.
    public struct Admission: Sendable, Hashable, Codable {
        public var id: Int64
        public var participantId: Int64
        public var desk: String
        public var scannedAt: Date

        public init(id: Int64, participantId: Int64, desk: String, scannedAt: Date) {
            self.id = id
            self.participantId = participantId
            self.desk = desk
            self.scannedAt = scannedAt
        }
    }

    public var list: CheckInList
    /// The badge-verifying Ed25519 public key, base64; `nil` while the server has none.
    public var publicKey: String?
    /// The forum edition badges are signed for, with the key.
    public var edition: String?
    public var people: [DoorPerson]
    /// The seated sign-ups of the list's session (all of them, each time), if it admits only those.
    public var seated: [Int64]?
    public var checkIns: [Admission]
    public var cursor: Cursor

    public init(list: CheckInList, publicKey: String?, people: [DoorPerson], seated: [Int64]?, checkIns: [Admission], cursor: Cursor) {
        self.list = list
        self.publicKey = publicKey
        edition = nil
        self.people = people
        self.seated = seated
        self.checkIns = checkIns
        self.cursor = cursor
    }
}
