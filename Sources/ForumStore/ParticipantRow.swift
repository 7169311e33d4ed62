import Foundation
import ForumDomain
import GRDB

/// How a `Participant` is laid out in the `participant` table.
struct ParticipantRow: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "participant"
    var participant: Participant

    init(_ participant: Participant) {
        self.participant = participant
    }

    init(row: Row) throws {
        let category: String = row["category"]
        let status: String = row["status"]
        let details = ParticipantDetails(
            lastName: row["last_name"], firstName: row["first_name"], patronymic: row["patronymic"],
            email: row["email"], phone: row["phone"], regionCode: row["region_code"],
            municipality: row["municipality"], organisation: row["organisation"], position: row["position"],
            category: ParticipantCategory(rawValue: category) ?? .participant, externalID: row["external_id"]
        )
        participant = Participant(
            id: row["id"], details: details, status: ParticipantStatus(rawValue: status) ?? .registered,
            badgeSerial: row["badge_serial"], feedToken: row["feed_token"],
            createdAt: row["created_at"], updatedAt: row["updated_at"]
        )
    }

    func encode(to container: inout PersistenceContainer) {
        let details = participant.details
        if participant.id != 0 { container["id"] = participant.id }
        container["last_name"] = details.lastName
        container["first_name"] = details.firstName
        container["patronymic"] = details.patronymic
        container["email"] = details.email
        container["phone"] = details.phone
        container["region_code"] = details.regionCode
        container["municipality"] = details.municipality
        container["organisation"] = details.organisation
        container["position"] = details.position
        container["category"] = details.category.rawValue
        container["status"] = participant.status.rawValue
        container["external_id"] = details.externalID
        container["badge_serial"] = participant.badgeSerial
        container["feed_token"] = participant.feedToken
        container["last_name_key"] = RussianText.searchKey(details.lastName)
        container["duplicate_key"] = details.likelyDuplicateKey
        container["created_at"] = participant.createdAt
        container["updated_at"] = participant.updatedAt
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        participant.id = inserted.rowID
    }

    /// Writes the row and its full-text search entry.
    mutating func save(in db: Database, isNew: Bool) throws {
        if isNew {
            try insert(db)
        } else {
            try update(db)
            try db.execute(sql: "DELETE FROM participant_search WHERE rowid = ?", arguments: [participant.id])
        }
        try db.execute(
            sql: "INSERT INTO participant_search(rowid, words) VALUES (?, ?)",
            arguments: [participant.id, Self.searchWords(participant.details)]
        )
    }

    private static func searchWords(_ details: ParticipantDetails) -> String {
        RussianText.searchKey(
            [details.fullName, details.email, details.municipality, details.organisation ?? ""].joined(separator: " ")
        )
    }

    /// A new random secret for the personal schedule feed.
    static func newFeedToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let value = generator.next() as UInt64
            return String(value, radix: 16).leftPadded(to: 16)
        }.joined()
    }
}
