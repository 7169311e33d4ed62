import Crypto
import Foundation
import ForumDomain
import GRDB

/// How a `Participant` is laid out in the `participant` table and its search index. Writes go
/// through cached prepared statements: an import writes thousands of rows in one transaction.
enum ParticipantRow {
    static func participant(_ row: Row) -> Participant {
        let details = ParticipantDetails(
            lastName: row["last_name"], firstName: row["first_name"], patronymic: row["patronymic"],
            email: row["email"], phone: row["phone"], regionCode: row["region_code"],
            municipality: row["municipality"], organisation: row["organisation"], position: row["position"],
            category: ParticipantCategory(rawValue: row["category"]) ?? .participant, externalID: row["external_id"]
        )
        return Participant(
            id: row["id"], details: details, status: ParticipantStatus(rawValue: row["status"]) ?? .registered,
            badgeSerial: row["badge_serial"], feedToken: row["feed_token"],
            createdAt: row["created_at"], updatedAt: row["updated_at"]
        )
    }

    static func fetchOne(id: Int64, in db: Database) throws -> Participant? {
        try Row.fetchOne(db, sql: "SELECT * FROM participant WHERE id = ?", arguments: [id]).map(participant)
    }

    /// Inserts a new participant stamped `timestamp` (created and updated) and returns its id.
    static func insert(_ participant: Participant, timestamp: DatabaseValue, in db: Database) throws -> Int64 {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO participant (\(detailColumns.joined(separator: ", ")),
                status, badge_serial, feed_token, created_at, updated_at)
            VALUES (\(Array(repeating: "?", count: detailColumns.count + 5).joined(separator: ", ")))
            """)
        try statement.execute(arguments: StatementArguments(
            detailValues(participant.details)
                + [participant.status.rawValue, participant.badgeSerial, participant.feedToken, timestamp, timestamp]
        ))
        let id = db.lastInsertedRowID
        try index(participant.details, id: id, in: db)
        return id
    }

    /// Writes the details and status of an existing participant, stamped `timestamp`.
    static func update(_ participant: Participant, timestamp: DatabaseValue, in db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE participant SET \(detailColumns.map { "\($0) = ?" }.joined(separator: ", ")),
                status = ?, updated_at = ? WHERE id = ?
            """)
        try statement.execute(arguments: StatementArguments(
            detailValues(participant.details) + [participant.status.rawValue, timestamp, participant.id]
        ))
        try db.cachedStatement(sql: "DELETE FROM participant_search WHERE rowid = ?").execute(arguments: [participant.id])
        try index(participant.details, id: participant.id, in: db)
    }

    private static let detailColumns = [
        "last_name", "first_name", "patronymic", "email", "phone", "region_code", "municipality",
        "organisation", "position", "category", "external_id", "last_name_key", "duplicate_key",
    ]

    private static func detailValues(_ details: ParticipantDetails) -> [(any DatabaseValueConvertible)?] {
        [
            details.lastName, details.firstName, details.patronymic, details.email, details.phone,
            details.regionCode, details.municipality, details.organisation, details.position,
            details.category.rawValue, details.externalID, RussianText.searchKey(details.lastName),
            details.likelyDuplicateKey,
        ]
    }

    /// Names, municipality and organisation go in `names`; the e-mail in `contacts`, which only
    /// searches that may read contacts look at.
    private static func index(_ details: ParticipantDetails, id: Int64, in db: Database) throws {
        let names = RussianText.searchKey(
            [details.fullName, details.municipality, details.organisation ?? ""].joined(separator: " ")
        )
        try db.cachedStatement(sql: "INSERT INTO participant_search(rowid, names, contacts) VALUES (?, ?, ?)")
            .execute(arguments: [id, names, RussianText.searchKey(details.email)])
    }

    /// A new random secret (128 bits, hex) for the personal schedule feed.
    static func newFeedToken() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { bytes in
            bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        }
    }
}
