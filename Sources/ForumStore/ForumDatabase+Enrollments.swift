import Foundation
import ForumDomain
import GRDB

extension ForumDatabase {
    /// Signs a participant up for a session with limited seats: a seat while there are any,
    /// else a place in the queue. Signing up twice changes nothing. Refused for a cancelled
    /// participant or session, a session without sign-up, and a participant who already holds a
    /// seat or queue place in an overlapping session. One immediate transaction: concurrent
    /// sign-ups never seat more people than the session has seats.
    public func enroll(participant id: Int64, in slug: String, at now: Date = Date()) async throws -> Enrollment {
        try await signUp(participant: id, in: slug, at: now).enrollment
    }

    /// `enroll`, telling also whether the sign-up is new (the API answers 201 or 200). Sign-ups
    /// that arrive together are written in one transaction (`CommitGroup`), each decided in
    /// order of arrival: the rush at the opening of sign-up shares its fsyncs.
    public func signUp(participant id: Int64, in slug: String, at now: Date = Date()) async throws -> (enrollment: Enrollment, created: Bool) {
        try await signUpGroup.submit(SignUpRequest(participant: id, session: slug), at: now)
    }

    /// One sign-up inside a transaction that holds the write lock.
    static func signUp(participant id: Int64, in slug: String, at now: Date, in db: Database) throws -> (enrollment: Enrollment, created: Bool) {
        guard try ParticipantRecord.status(db, id: id) == .registered else {
            throw StoreError.conflict(FieldError(field: "participantId", message: "регистрация участника №\(id) отменена"))
        }
        let session = try EnrollmentRecord.session(slug, in: db)
        guard !session.value.isCancelled else {
            throw StoreError.conflict(FieldError(field: "session", message: "«\(session.value.title)» отменена"))
        }
        guard let capacity = session.value.capacity else {
            throw StoreError.conflict(FieldError(field: "session", message: "на «\(session.value.title)» запись не нужна: вход свободный"))
        }
        if let existing = try EnrollmentRecord.find(session: session.id, participant: id, slug: slug, in: db) { return (existing, false) }
        if let clash = try EnrollmentRecord.overlapping(session.value, participant: id, in: db) {
            throw StoreError.conflict(FieldError(
                field: "session", message: "участник №\(id) уже записан на «\(clash.title)», которая идёт в то же время"
            ))
        }
        let seated = try EnrollmentRecord.count(session: session.id, state: .seated, in: db)
        try EnrollmentRecord.insert(session: session.id, participant: id, state: seated < capacity ? .seated : .waitlisted, at: now, in: db)
        return (try EnrollmentRecord.find(session: session.id, participant: id, slug: slug, in: db)!, true)
    }

    /// Who asks for a seat where.
    struct SignUpRequest: Sendable {
        var participant: Int64
        var session: String
    }

    /// Withdraws a sign-up; a freed seat goes to the first in the queue.
    public func withdraw(participant id: Int64, from slug: String) async throws -> Withdrawal {
        try await writeImmediately { db in
            let session = try EnrollmentRecord.session(slug, in: db)
            guard let enrollment = try EnrollmentRecord.find(session: session.id, participant: id, slug: slug, in: db) else {
                throw StoreError.notFound(.enrollment, id: "\(slug)/\(id)")
            }
            try EnrollmentRecord.delete(session: session.id, participant: id, in: db)
            let promoted = enrollment.state == .seated ? try EnrollmentRecord.promote(session: session.id, capacity: session.value.capacity, in: db) : nil
            return Withdrawal(session: slug, participantID: id, promoted: promoted)
        }
    }

    /// The seats and the queue of a session, seats first, each in order of sign-up.
    public func enrollments(in slug: String) async throws -> [Enrollment] {
        try await writer.read { db in
            let session = try EnrollmentRecord.session(slug, in: db)
            return try EnrollmentRecord.all(session: session.id, slug: slug, in: db)
        }
    }

    /// A participant's sign-ups, by session start.
    public func enrollments(of participant: Int64) async throws -> [Enrollment] {
        try await writer.read { db in try EnrollmentRecord.all(participant: participant, in: db) }
    }

    /// Seats taken, by session slug.
    public func seatsTaken() async throws -> [String: Int] {
        try await writer.read { db in try EnrollmentRecord.counts(state: .seated, in: db) }
    }

    /// A transaction that takes the write lock at its start, so that what it read is still true
    /// when it writes, also against other processes.
    func writeImmediately<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try work(db)
                return .commit
            }
            return result!
        }
    }
}

/// How sign-ups are laid out in the `enrollment` table: the one place that names its columns.
enum EnrollmentRecord {
    static func session(_ slug: String, in db: Database) throws -> (id: Int64, value: Session) {
        guard let (id, session) = try ProgrammeRecord.session(slug, in: db) else { throw StoreError.notFound(.session, id: slug) }
        return (id, session)
    }

    /// One sign-up through the (session, participant) index, its queue place counted.
    static func find(session: Int64, participant: Int64, slug: String, in db: Database) throws -> Enrollment? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, state, created_at FROM enrollment WHERE session_id = ? AND participant_id = ?
            """), arguments: [session, participant]) else { return nil }
        let state: Enrollment.State = try row.decode(atIndex: 1)
        let position = state == .waitlisted ? try Int.fetchOne(db.cachedStatement(sql: """
            SELECT COUNT(*) FROM enrollment WHERE session_id = ? AND state = 'waitlisted' AND id <= ?
            """), arguments: [session, try row.decode(atIndex: 0) as Int64]) : nil
        return Enrollment(session: slug, participantID: participant, state: state, waitlistPosition: position, createdAt: try row.decode(atIndex: 2))
    }

    static func all(session: Int64, slug: String, in db: Database) throws -> [Enrollment] {
        var waiting = 0
        return try Row.fetchAll(db, sql: """
            SELECT participant_id, state, created_at FROM enrollment WHERE session_id = ?
            ORDER BY state = 'waitlisted', id
            """, arguments: [session]).map { row in
            let state: Enrollment.State = try row.decode(atIndex: 1)
            if state == .waitlisted { waiting += 1 }
            return Enrollment(
                session: slug, participantID: try row.decode(atIndex: 0), state: state,
                waitlistPosition: state == .waitlisted ? waiting : nil, createdAt: try row.decode(atIndex: 2)
            )
        }
    }

    static func all(participant: Int64, in db: Database) throws -> [Enrollment] {
        let slugs = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT s.id, s.slug FROM enrollment e JOIN session s ON s.id = e.session_id
            WHERE e.participant_id = ? ORDER BY s.starts_at
            """), arguments: [participant])
        return try slugs.compactMap { row in
            try find(session: try row.decode(atIndex: 0), participant: participant, slug: try row.decode(atIndex: 1), in: db)
        }
    }

    /// A live session the participant holds a seat or queue place in that overlaps `session`.
    static func overlapping(_ session: Session, participant: Int64, in db: Database) throws -> (slug: String, title: String)? {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT s.slug, s.title FROM enrollment e JOIN session s ON s.id = e.session_id
            WHERE e.participant_id = ? AND s.status = 'scheduled' AND s.slug != ?
              AND s.starts_at < ? AND ? < s.ends_at
            LIMIT 1
            """), arguments: [participant, session.slug, session.end, session.start])
        return try row.map { (try $0.decode(atIndex: 0), try $0.decode(atIndex: 1)) }
    }

    /// Whether the participant holds a seat in the session with this slug.
    static func isSeated(participant: Int64, session slug: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM enrollment e JOIN session s ON s.id = e.session_id
                           WHERE s.slug = ? AND e.participant_id = ? AND e.state = 'seated')
            """), arguments: [slug, participant]) ?? false
    }

    static func count(session: Int64, state: Enrollment.State, in db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM enrollment WHERE session_id = ? AND state = ?"), arguments: [session, state.rawValue]) ?? 0
    }

    static func counts(state: Enrollment.State, in db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT s.slug, COUNT(*) FROM enrollment e JOIN session s ON s.id = e.session_id WHERE e.state = ? GROUP BY s.slug
            """, arguments: [state.rawValue]) {
            counts[try row.decode(atIndex: 0)] = try row.decode(atIndex: 1)
        }
        return counts
    }

    static func insert(session: Int64, participant: Int64, state: Enrollment.State, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO enrollment (session_id, participant_id, state, created_at) VALUES (?, ?, ?, ?)")
            .execute(arguments: [session, participant, state.rawValue, now])
    }

    static func delete(session: Int64, participant: Int64, in db: Database) throws {
        try db.execute(sql: "DELETE FROM enrollment WHERE session_id = ? AND participant_id = ?", arguments: [session, participant])
    }

    /// Fills free seats from the queue in order; returns the first promoted participant.
    @discardableResult
    static func promote(session: Int64, capacity: Int?, in db: Database) throws -> Int64? {
        guard let capacity else { return nil }
        let free = capacity - (try count(session: session, state: .seated, in: db))
        guard free > 0 else { return nil }
        let promoted = try Int64.fetchAll(db, sql: """
            SELECT participant_id FROM enrollment WHERE session_id = ? AND state = 'waitlisted' ORDER BY id LIMIT ?
            """, arguments: [session, free])
        for participant in promoted {
            try db.execute(sql: "UPDATE enrollment SET state = 'seated' WHERE session_id = ? AND participant_id = ?", arguments: [session, participant])
        }
        return promoted.first
    }

    /// Removes every sign-up of a participant (a cancelled registration) and moves each queue up.
    static func release(participant: Int64, in db: Database) throws {
        let sessions = try Row.fetchAll(db, sql: """
            SELECT s.id, s.capacity FROM enrollment e JOIN session s ON s.id = e.session_id WHERE e.participant_id = ?
            """, arguments: [participant])
        try db.execute(sql: "DELETE FROM enrollment WHERE participant_id = ?", arguments: [participant])
        for row in sessions {
            try promote(session: try row.decode(atIndex: 0), capacity: try row.decode(atIndex: 1), in: db)
        }
    }
}

extension Enrollment.State: DatabaseValueConvertible {}
