import Crypto
import Foundation
import ForumDomain
import GRDB

/// How a `Participant` is laid out in the `participant` table and its search index: the one
/// place that names its columns. Reads select `Columns.allCases` and decode by position (no
/// by-name lookups on the search path); a stored value this build cannot read — an unknown
/// status or category — is an error, never a default. Writes go through cached prepared
/// statements: an import writes thousands of rows in one transaction.
enum ParticipantRecord {
    static let databaseTableName = "participant"

    enum Columns: String, ColumnExpression, CaseIterable {
        case id, lastName = "last_name", firstName = "first_name", patronymic, email, phone
        case regionCode = "region_code", municipality, organisation, position, category
        case externalID = "external_id", status, badgeSerial = "badge_serial", feedToken = "feed_token"
        case createdAt = "created_at", updatedAt = "updated_at"
        /// Derived from the details for search and de-duplication.
        case lastNameKey = "last_name_key", duplicateKey = "duplicate_key"
    }

    /// The columns a read selects, in `Columns` order.
    static let selection = Columns.selection
    private static let positions = Columns.positions

    /// The columns for a join, each prefixed with `alias`, in `Columns` order.
    static func qualifiedSelection(_ alias: String) -> String {
        Columns.allCases.map { "\(alias).\($0.rawValue)" }.joined(separator: ", ")
    }

    /// A request for participants; `Self.decode` reads its rows.
    static func select(_ tail: String) -> String {
        "SELECT \(selection) FROM \(databaseTableName) \(tail)"
    }

    static func decode(_ row: Row) throws -> Participant {
        func value<Value: DatabaseValueConvertible>(_ column: Columns) throws -> Value {
            try row.decode(atIndex: positions[column]!)
        }
        // Straight from SQLite for the types that allow it (strings, integers): the search path.
        func value<Value: DatabaseValueConvertible & StatementColumnConvertible>(_ column: Columns) throws -> Value {
            try row.decode(atIndex: positions[column]!)
        }
        let details = ParticipantDetails(
            lastName: try value(.lastName), firstName: try value(.firstName), patronymic: try value(.patronymic),
            email: try value(.email), phone: try value(.phone), regionCode: try value(.regionCode),
            municipality: try value(.municipality), organisation: try value(.organisation),
            position: try value(.position), category: try value(.category), externalID: try value(.externalID)
        )
        return Participant(
            id: try value(.id), details: details, status: try value(.status), badgeSerial: try value(.badgeSerial),
            feedToken: try value(.feedToken), createdAt: try value(.createdAt), updatedAt: try value(.updatedAt)
        )
    }

    static func fetchAll(_ db: Database, _ tail: String, arguments: StatementArguments = []) throws -> [Participant] {
        try Array(Row.fetchCursor(db.cachedStatement(sql: select(tail)), arguments: arguments).map(decode))
    }

    static func fetchOne(_ db: Database, id: Int64) throws -> Participant? {
        try fetchAll(db, "WHERE id = ?", arguments: [id]).first
    }

    /// The participant, or `StoreError.notFound`.
    static func find(_ db: Database, id: Int64) throws -> Participant {
        guard let participant = try fetchOne(db, id: id) else { throw StoreError.notFound(.participant, id: id) }
        return participant
    }

    /// Only the status of the participant, or `StoreError.notFound`: what a sign-up checks.
    static func status(_ db: Database, id: Int64) throws -> ParticipantStatus {
        let statement = try db.cachedStatement(sql: "SELECT \(Columns.status.rawValue) FROM \(databaseTableName) WHERE id = ?")
        guard let status = try ParticipantStatus.fetchOne(statement, arguments: [id]) else { throw StoreError.notFound(.participant, id: id) }
        return status
    }

    /// Inserts a new participant stamped `timestamp` (created and updated) and returns its id.
    static func insert(_ participant: Participant, keys: SearchKeys? = nil, timestamp: DatabaseValue, in db: Database) throws -> Int64 {
        let keys = keys ?? SearchKeys(participant.details)
        let columns = detailColumns + [.status, .badgeSerial, .feedToken, .createdAt, .updatedAt]
        let statement = try db.cachedStatement(sql: """
            INSERT INTO \(databaseTableName) (\(columns.map(\.rawValue).joined(separator: ", ")), revision)
            VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")), \(nextRevision))
            """)
        try statement.execute(arguments: StatementArguments(
            detailValues(participant.details, keys)
                + [participant.status.rawValue, participant.badgeSerial, participant.feedToken, timestamp, timestamp]
        ))
        let id = db.lastInsertedRowID
        try index(participant.details, keys, id: id, in: db)
        return id
    }

    /// Writes the details and status of an existing participant, stamped `timestamp`.
    static func update(_ participant: Participant, timestamp: DatabaseValue, in db: Database) throws {
        let keys = SearchKeys(participant.details)
        let statement = try db.cachedStatement(sql: """
            UPDATE \(databaseTableName) SET \((detailColumns + [.status, .updatedAt]).map { "\($0.rawValue) = ?" }.joined(separator: ", ")),
            revision = \(nextRevision) WHERE id = ?
            """)
        try statement.execute(arguments: StatementArguments(
            detailValues(participant.details, keys) + [participant.status.rawValue, timestamp, participant.id]
        ))
        try db.cachedStatement(sql: "DELETE FROM participant_search WHERE rowid = ?").execute(arguments: [participant.id])
        try index(participant.details, keys, id: participant.id, in: db)
    }

    /// Every write to a participant takes the next revision number (an index lookup), so that a
    /// desk asks for what changed since the revision it holds.
    static let nextRevision = "(SELECT coalesce(max(revision), 0) + 1 FROM participant)"

    private static let detailColumns: [Columns] = [
        .lastName, .firstName, .patronymic, .email, .phone, .regionCode, .municipality,
        .organisation, .position, .category, .externalID, .lastNameKey, .duplicateKey,
    ]

    private static func detailValues(_ details: ParticipantDetails, _ keys: SearchKeys) -> [(any DatabaseValueConvertible)?] {
        [
            details.lastName, details.firstName, details.patronymic, details.email, details.phone,
            details.regionCode, details.municipality, details.organisation, details.position,
            details.category.rawValue, details.externalID, keys.lastName, keys.likelyDuplicate,
        ]
    }

    private static func index(_ details: ParticipantDetails, _ keys: SearchKeys, id: Int64, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO participant_search(rowid, names, contacts) VALUES (?, ?, ?)")
            .execute(arguments: [id, keys.names, RussianText.searchKey(details.email)])
    }

    /// The folded text a participant's row and search entry hold (`RussianText.searchKey`), each
    /// folded once per write: the surname, the likely-duplicate key, and the words search finds
    /// (full name, municipality, organisation).
    struct SearchKeys {
        let lastName: String
        let likelyDuplicate: String
        let names: String

        init(_ details: ParticipantDetails) {
            let fullName = RussianText.searchKey(details.fullName)
            let municipality = RussianText.searchKey(details.municipality)
            lastName = RussianText.searchKey(details.lastName)
            likelyDuplicate = ParticipantDetails.likelyDuplicateKey(fullName: fullName, municipality: municipality)
            // Folding collapses the spaces between parts: folding each part and joining them is the same.
            names = [fullName, municipality, RussianText.searchKey(details.organisation ?? "")]
                .filter { !$0.isEmpty }.joined(separator: " ")
        }
    }

    /// A new random secret (128 bits, hex) for the personal schedule feed.
    static func newFeedToken() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { $0.hexadecimal }
    }
}

extension CaseIterable where Self: ColumnExpression & Hashable & RawRepresentable<String> {
    /// All the columns, in declaration order, for a `SELECT`.
    static var selection: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The position of each column in `selection`: rows are decoded by position, not by name.
    static var positions: [Self: Int] {
        Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
    }
}

// Stored as their raw values; an unknown raw value fails to decode.
extension ParticipantStatus: DatabaseValueConvertible {}
extension ParticipantCategory: DatabaseValueConvertible {}
extension APIToken.Role: DatabaseValueConvertible {}
