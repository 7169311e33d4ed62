import Foundation
import ForumDomain
import GRDB

/// What importing a programme file did (or, in a dry run, would do).
public struct ProgrammeImport: Sendable, Hashable, Codable {
    /// Changes against the draft before the import, as a changelog would list them.
    public var changes: [ProgrammeChange]
    /// Sessions the file no longer has: cancelled, not deleted.
    public var vanished: [String]
    public var sessions: Int
    public var committed: Bool
}

extension ForumDatabase {
    /// The draft programme; `StoreError.notFound(.programme)` before the first import.
    public func programme() async throws -> Programme {
        try await writer.read { db in try Self.draft(db) }
    }

    /// Makes `file` the draft in one transaction. Sessions are matched by slug and updated in
    /// place; a session the file no longer has is cancelled, never deleted, and reported.
    public func importProgramme(_ file: Programme, dryRun: Bool = false) async throws -> ProgrammeImport {
        try await writer.write { db in
            let current = try ProgrammeRecord.load(db)
            var merged = file
            let inFile = Set(file.sessions.map(\.slug))
            let left = (current?.sessions ?? []).filter { !inFile.contains($0.slug) }
            merged.sessions += left.map { session in
                var cancelled = session
                cancelled.status = .cancelled
                return cancelled
            }
            let changes = ProgrammeChange.between(current, merged)
            if !dryRun { try ProgrammeRecord.save(merged, in: db) }
            return ProgrammeImport(
                changes: changes, vanished: left.filter { !$0.isCancelled }.map(\.slug), sessions: file.sessions.count,
                committed: !dryRun
            )
        }
    }

    /// The conflict check of the draft.
    public func checkProgramme() async throws -> [ScheduleProblem] {
        try await writer.read { db in ScheduleCheck(try Self.draft(db), enrolments: try Self.signUps(db)).problems() }
    }

    /// Changes one session of the draft (move it, rename it, cancel it…) and returns it.
    public func updateSession(_ slug: String, _ change: @escaping @Sendable (inout Session) throws -> Void) async throws -> Session {
        try await writer.write { db in
            let programme = try Self.draft(db)
            guard var session = programme.session(slug), let position = try ProgrammeRecord.position(ofSession: slug, in: db) else {
                throw StoreError.notFound(.session, id: slug)
            }
            try change(&session)
            let problems = programme.placementProblems(of: session)
            guard problems.isEmpty else { throw ValidationFailure(problems) }
            try ProgrammeRecord.save(session, position: position, in: db)
            return session
        }
    }

    /// Freezes the draft as the next release, with its changelog against the previous one.
    /// Refused with `ScheduleRefusal` while the conflict check finds errors, and when nothing
    /// changed since the last release.
    public func publishProgramme(note: String, at now: Date = Date()) async throws -> ProgrammeRelease {
        let note = try PlainText.line(note, field: "note", maximumLength: 1000) ?? ""
        return try await writer.write { db in
            let programme = try Self.draft(db)
            let errors = ScheduleCheck(programme, enrolments: try Self.signUps(db)).problems().filter { $0.severity == .error }
            guard errors.isEmpty else { throw ScheduleRefusal(errors) }
            let previous = try ProgrammeRecord.release(db)
            let changes = ProgrammeChange.between(previous?.programme, programme)
            if let previous, changes.isEmpty, previous.programme == programme {
                throw StoreError.conflict(FieldError(field: "programme", message: "с выпуска №\(previous.number) программа не менялась"))
            }
            let release = ProgrammeRelease(
                number: (previous?.number ?? 0) + 1, note: note, publishedAt: now,
                programme: programme, changes: changes
            )
            try ProgrammeRecord.insert(release, in: db)
            return release
        }
    }

    /// The latest release, or the one numbered `number`; `nil` when there is none.
    public func programmeRelease(_ number: Int? = nil) async throws -> ProgrammeRelease? {
        try await writer.read { db in try ProgrammeRecord.release(db, number: number) }
    }

    /// Every release, newest first.
    /// The forum's full name as the published programme gives it (`Forum.name` before one is).
    public func forumName() async throws -> String {
        try await programmeRelease()?.programme.edition.fullName ?? Forum.name
    }

    public func programmeReleases() async throws -> [ProgrammeRelease] {
        try await writer.read { db in try ProgrammeRecord.releases(db) }
    }

    /// Seats and queue places, by session slug.
    private static func signUps(_ db: Database) throws -> [String: Int] {
        try EnrollmentRecord.counts(state: .seated, in: db).merging(EnrollmentRecord.counts(state: .waitlisted, in: db), uniquingKeysWith: +)
    }

    private static func draft(_ db: Database) throws -> Programme {
        guard let programme = try ProgrammeRecord.load(db) else { throw StoreError.notFound(.programme, id: "") }
        return programme
    }
}

extension ForumDatabase {
    /// The number of the latest release, or `nil` before the first: a cheap check for news.
    public func latestProgrammeReleaseNumber() async throws -> Int? {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT MAX(number) FROM programme_release") }
    }
}

/// A speaker or moderator of the draft and the registration their e-mail links them to.
public struct ProgrammePerson: Sendable, Hashable, Codable {
    public var session: String
    public var person: SessionPerson
    /// The registered participant with the person's e-mail, if any.
    public var participantID: Int64?

    enum CodingKeys: String, CodingKey {
        case session, person, participantID = "participantId"
    }
}

extension ForumDatabase {
    /// Adds a session to the draft; its slug must be new and its room known.
    public func addSession(_ session: Session) async throws -> Session {
        try await writer.write { db in
            let programme = try Self.draft(db)
            guard programme.session(session.slug) == nil else {
                throw StoreError.conflict(FieldError(field: "slug", message: "сессия «\(session.slug)» уже есть"))
            }
            if let problem = Slug.problem(session.slug) { throw ValidationFailure([FieldError(field: "slug", message: problem)]) }
            let problems = programme.placementProblems(of: session)
            guard problems.isEmpty else { throw ValidationFailure(problems) }
            try ProgrammeRecord.save(session, position: programme.sessions.count, in: db)
            return session
        }
    }

    /// Every speaker and moderator of the draft with the registration their e-mail links to.
    public func programmePeople() async throws -> [ProgrammePerson] {
        try await writer.read { db in
            try Self.draft(db).sessions.flatMap { session in
                try session.people.map { person in
                    ProgrammePerson(session: session.slug, person: person, participantID: try person.email.flatMap { try IndexedParticipants(db: db).id(email: $0) })
                }
            }
        }
    }
}

extension ForumDatabase {
    /// Adds a hall to a building of the draft, or changes the name or seats of an existing one.
    public func saveRoom(_ room: Room, in building: String) async throws -> Room {
        guard RussianText.tidy(room.name) != nil, room.capacity > 0 else {
            throw ValidationFailure([FieldError(field: room.capacity > 0 ? "name" : "capacity",
                                                message: room.capacity > 0 ? "укажите название зала" : "мест должно быть больше нуля")])
        }
        if let problem = Slug.problem(room.slug) { throw ValidationFailure([FieldError(field: "slug", message: problem)]) }
        return try await writer.write { db in
            var programme = try Self.draft(db)
            guard let index = programme.buildings.firstIndex(where: { $0.slug == building }) else {
                throw ValidationFailure([FieldError(field: "building", message: "здание «\(building)» не описано в программе")])
            }
            if let other = programme.room(room.slug), other.building.slug != building {
                throw StoreError.conflict(FieldError(field: "slug", message: "зал «\(room.slug)» уже есть в здании «\(other.building.name)»"))
            }
            if let existing = programme.buildings[index].rooms.firstIndex(where: { $0.slug == room.slug }) {
                programme.buildings[index].rooms[existing] = room
            } else {
                programme.buildings[index].rooms.append(room)
            }
            try ProgrammeRecord.save(programme, in: db)
            return room
        }
    }
}
