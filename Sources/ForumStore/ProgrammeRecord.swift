import Foundation
import ForumDomain
import GRDB

/// How the draft programme is laid out in the `edition`, `building`, `room`, `walking_time`,
/// `session` and `session_person` tables, and releases in `programme_release`: the one place
/// that names their columns. A programme has tens of sessions: it is read and written whole.
enum ProgrammeRecord {
    /// The draft, or `nil` before the first import.
    static func load(_ db: Database) throws -> Programme? {
        guard let row = try Row.fetchOne(db, sql: "SELECT slug, name, full_name, organiser, venue, city, time_zone, days FROM edition") else {
            return nil
        }
        let edition = Edition(
            slug: try row.decode(atIndex: 0), name: try row.decode(atIndex: 1), fullName: try row.decode(atIndex: 2),
            organiser: try row.decode(atIndex: 3), venue: try row.decode(atIndex: 4), city: try row.decode(atIndex: 5),
            timeZone: try row.decode(atIndex: 6), days: try JSONCoding.decode([Edition.Day].self, from: try row.decode(atIndex: 7))
        )
        var rooms: [String: [Room]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT building_slug, slug, name, capacity FROM room ORDER BY position") {
            rooms[try row.decode(atIndex: 0), default: []].append(
                Room(slug: try row.decode(atIndex: 1), name: try row.decode(atIndex: 2), capacity: try row.decode(atIndex: 3))
            )
        }
        let buildings = try Row.fetchAll(db, sql: "SELECT slug, name FROM building ORDER BY position").map { row in
            let slug: String = try row.decode(atIndex: 0)
            return Building(slug: slug, name: try row.decode(atIndex: 1), rooms: rooms[slug] ?? [])
        }
        let walking = try Row.fetchAll(db, sql: "SELECT from_building, to_building, minutes FROM walking_time ORDER BY rowid").map { row in
            WalkingTime(from: try row.decode(atIndex: 0), to: try row.decode(atIndex: 1), minutes: try row.decode(atIndex: 2))
        }
        let people = try Self.people(db, "ORDER BY session_id, position")
        let sessions = try Row.fetchAll(db, sql: sessionSelection + " ORDER BY position").map { try Self.session($0, people: people).session }
        return Programme(edition: edition, buildings: buildings, walking: walking, sessions: sessions)
    }

    /// One session of the draft and its row id, read through the slug's index.
    static func session(_ slug: String, in db: Database) throws -> (id: Int64, session: Session)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sessionSelection + " WHERE slug = ?"), arguments: [slug]) else { return nil }
        let id: Int64 = try row.decode(atIndex: 0)
        return try Self.session(row, people: try Self.people(db, "WHERE session_id = ? ORDER BY position", arguments: [id]))
    }

    private static let sessionSelection = """
        SELECT id, slug, kind, title, description, track, room_slug, starts_at, ends_at, capacity, status FROM session
        """

    private static func session(_ row: Row, people: [Int64: [SessionPerson]]) throws -> (id: Int64, session: Session) {
        let id: Int64 = try row.decode(atIndex: 0)
        return (id, Session(
            slug: try row.decode(atIndex: 1), kind: try row.decode(atIndex: 2), title: try row.decode(atIndex: 3),
            description: try row.decode(atIndex: 4), track: try row.decode(atIndex: 5), room: try row.decode(atIndex: 6),
            start: try row.decode(atIndex: 7), end: try row.decode(atIndex: 8), capacity: try row.decode(atIndex: 9),
            people: people[id] ?? [], status: try row.decode(atIndex: 10)
        ))
    }

    /// Speakers and moderators by session row id.
    private static func people(_ db: Database, _ tail: String, arguments: StatementArguments = []) throws -> [Int64: [SessionPerson]] {
        var people: [Int64: [SessionPerson]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT session_id, name, title, role, placeholder, email FROM session_person " + tail), arguments: arguments) {
            people[try row.decode(atIndex: 0), default: []].append(SessionPerson(
                name: try row.decode(atIndex: 1), position: try row.decode(atIndex: 2), role: try row.decode(atIndex: 3),
                placeholder: try row.decode(atIndex: 4), email: try row.decode(atIndex: 5)
            ))
        }
        return people
    }

    /// Writes `programme` as the draft. Sessions keep their ids (sign-ups refer to them) and are
    /// matched by slug; a session stored but missing from `programme` is left as it is.
    static func save(_ programme: Programme, in db: Database) throws {
        let edition = programme.edition
        try db.execute(
            sql: """
                INSERT INTO edition (id, slug, name, full_name, organiser, venue, city, time_zone, days)
                VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, name = excluded.name, full_name = excluded.full_name,
                    organiser = excluded.organiser, venue = excluded.venue, city = excluded.city,
                    time_zone = excluded.time_zone, days = excluded.days
                """,
            arguments: [edition.slug, edition.name, edition.fullName, edition.organiser, edition.venue, edition.city,
                        edition.timeZone, try JSONCoding.encode(edition.days)]
        )
        try db.execute(sql: "DELETE FROM walking_time; DELETE FROM room; DELETE FROM building")
        for (position, building) in programme.buildings.enumerated() {
            try db.execute(sql: "INSERT INTO building (slug, name, position) VALUES (?, ?, ?)", arguments: [building.slug, building.name, position])
            for (index, room) in building.rooms.enumerated() {
                try db.execute(
                    sql: "INSERT INTO room (slug, building_slug, name, capacity, position) VALUES (?, ?, ?, ?, ?)",
                    arguments: [room.slug, building.slug, room.name, room.capacity, position * 1000 + index]
                )
            }
        }
        for walk in programme.walking {
            try db.execute(
                sql: "INSERT OR REPLACE INTO walking_time (from_building, to_building, minutes) VALUES (?, ?, ?)",
                arguments: [walk.from, walk.to, walk.minutes]
            )
        }
        for (position, session) in programme.sessions.enumerated() {
            try save(session, position: position, in: db)
        }
    }

    /// Inserts or updates one session by slug, with its people.
    static func save(_ session: Session, position: Int, in db: Database) throws {
        let id = try Int64.fetchOne(db, sql: """
            INSERT INTO session (slug, kind, title, description, track, room_slug, starts_at, ends_at, capacity, status, position)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (slug) DO UPDATE SET kind = excluded.kind, title = excluded.title, description = excluded.description,
                track = excluded.track, room_slug = excluded.room_slug, starts_at = excluded.starts_at,
                ends_at = excluded.ends_at, capacity = excluded.capacity, status = excluded.status, position = excluded.position
            RETURNING id
            """, arguments: [session.slug, session.kind.rawValue, session.title, session.description, session.track,
                             session.room, session.start, session.end, session.capacity, session.status.rawValue, position])
        guard let id else { throw StoreError.notFound(.session, id: session.slug) }
        try db.execute(sql: "DELETE FROM session_person WHERE session_id = ?", arguments: [id])
        for (index, person) in session.people.enumerated() {
            try db.execute(
                sql: "INSERT INTO session_person (session_id, position, name, title, role, placeholder, email) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [id, index, person.name, person.position, person.role.rawValue, person.placeholder, person.email]
            )
        }
    }

    /// The position of a stored session, to save it in place.
    static func position(ofSession slug: String, in db: Database) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT position FROM session WHERE slug = ?", arguments: [slug])
    }

    static func insert(_ release: ProgrammeRelease, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO programme_release (number, note, published_at, programme, changes) VALUES (?, ?, ?, ?, ?)",
            arguments: [release.number, release.note, release.publishedAt, try JSONCoding.encode(release.programme), try JSONCoding.encode(release.changes)]
        )
    }

    static func release(_ db: Database, number: Int? = nil) throws -> ProgrammeRelease? {
        let sql = "SELECT number, note, published_at, programme, changes FROM programme_release "
            + (number == nil ? "ORDER BY number DESC LIMIT 1" : "WHERE number = ?")
        return try Row.fetchOne(db, sql: sql, arguments: number.map { [$0] } ?? []).map(decodeRelease)
    }

    /// Every release, newest first, without their programmes.
    static func releases(_ db: Database) throws -> [ProgrammeRelease] {
        try Row.fetchAll(db, sql: "SELECT number, note, published_at, programme, changes FROM programme_release ORDER BY number DESC").map(decodeRelease)
    }

    private static func decodeRelease(_ row: Row) throws -> ProgrammeRelease {
        ProgrammeRelease(
            number: try row.decode(atIndex: 0), note: try row.decode(atIndex: 1), publishedAt: try row.decode(atIndex: 2),
            programme: try JSONCoding.decode(Programme.self, from: try row.decode(atIndex: 3)),
            changes: try JSONCoding.decode([ProgrammeChange].self, from: try row.decode(atIndex: 4))
        )
    }
}

extension SessionKind: DatabaseValueConvertible {}
extension SessionStatus: DatabaseValueConvertible {}
extension SessionPerson.Role: DatabaseValueConvertible {}

/// JSON kept in a column: sorted keys and ISO 8601 dates with milliseconds, so a value reads
/// back equal and the same value is always the same text.
enum JSONCoding {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)))
        }
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "«\(text)» is not an ISO 8601 date"))
            }
            return date
        }
        return decoder
    }()

    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try decoder.decode(type, from: Data(text.utf8))
    }
}
