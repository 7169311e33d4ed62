import ForumDomain
import ForumStore
import Foundation
import Hummingbird

/// `/api/v1/sessions`: the draft programme's sessions for organisers — list, read, add, change
/// (move in time or hall, rename, cancel, speakers) — and their sign-ups. Admin tokens only.
struct SessionsController {
    let database: ForumDatabase

    func addRoutes(to router: Router<ForumRequestContext>) {
        router.group("api/v1/sessions")
            .add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin]))
            .get(use: list)
            .post(use: create)
            .get(":slug", use: show)
            .patch(":slug", use: update)
            .get(":slug/enrollments", use: enrollments)
            .post(":slug/enrollments", use: enroll)
            .delete(":slug/enrollments/:participantId", use: withdraw)
        router.group("api/v1/programme")
            .add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin]))
            .get("people", use: people)
            .get("check", use: check)
            .get("releases", use: releases)
            .post("releases", use: publish)
            .get("buildings", use: buildings)
            .put("buildings/:building/rooms/:room", use: saveRoom)
    }

    @Sendable func list(_ request: Request, context: ForumRequestContext) async throws -> [Session] {
        try await database.programme().sessions
    }

    @Sendable func show(_ request: Request, context: ForumRequestContext) async throws -> Session {
        let slug = try Self.slug(context)
        guard let session = try await database.programme().session(slug) else { throw StoreError.notFound(.session, id: slug) }
        return session
    }

    @Sendable func create(_ request: Request, context: ForumRequestContext) async throws -> EditedResponse<Session> {
        let draft = try await request.decodeJSON(as: SessionDraft.self, context: context)
        let session = try await database.addSession(try draft.session())
        return EditedResponse(status: .created, headers: [.location: "/api/v1/sessions/\(session.slug)"], response: session)
    }

    @Sendable func update(_ request: Request, context: ForumRequestContext) async throws -> Session {
        let patch = try await request.decodeJSON(as: SessionPatch.self, context: context)
        return try await database.updateSession(try Self.slug(context)) { session in session = try patch.applied(to: session) }
    }

    @Sendable func enrollments(_ request: Request, context: ForumRequestContext) async throws -> [Enrollment] {
        try await database.enrollments(in: try Self.slug(context))
    }

    @Sendable func enroll(_ request: Request, context: ForumRequestContext) async throws -> EditedResponse<Enrollment> {
        let body = try await request.decodeJSON(as: EnrollmentRequest.self, context: context)
        let slug = try Self.slug(context)
        let signUp = try await database.signUp(participant: body.participantId, in: slug)
        return EditedResponse(
            status: signUp.created ? .created : .ok,
            headers: [.location: "/api/v1/sessions/\(slug)/enrollments/\(body.participantId)"], response: signUp.enrollment
        )
    }

    @Sendable func withdraw(_ request: Request, context: ForumRequestContext) async throws -> Withdrawal {
        guard let participant = context.parameters.get("participantId", as: Int64.self) else {
            throw Problem.notFound("Номер участника — целое число.")
        }
        return try await database.withdraw(participant: participant, from: try Self.slug(context))
    }

    @Sendable func people(_ request: Request, context: ForumRequestContext) async throws -> [ProgrammePerson] {
        let people = try await database.programmePeople()
        return try QueryParameters(request).flag("unlinked") == true ? people.filter { $0.participantID == nil } : people
    }

    @Sendable func check(_ request: Request, context: ForumRequestContext) async throws -> [ScheduleProblem] {
        try await database.checkProgramme()
    }

    @Sendable func releases(_ request: Request, context: ForumRequestContext) async throws -> [ReleaseSummary] {
        try await database.programmeReleases().map(ReleaseSummary.init)
    }

    @Sendable func publish(_ request: Request, context: ForumRequestContext) async throws -> EditedResponse<ReleaseSummary> {
        let body = try await request.decodeJSON(as: PublishRequest.self, context: context)
        let release = try await database.publishProgramme(note: body.note)
        return EditedResponse(status: .created, headers: [:], response: ReleaseSummary(release))
    }

    @Sendable func buildings(_ request: Request, context: ForumRequestContext) async throws -> [Building] {
        try await database.programme().buildings
    }

    /// Adds a hall or changes its name and seats: `{"name": "Зал Б", "capacity": 120}`.
    @Sendable func saveRoom(_ request: Request, context: ForumRequestContext) async throws -> Room {
        let body = try await request.decodeJSON(as: RoomBody.self, context: context)
        guard let building = context.parameters.get("building"), let slug = context.parameters.get("room") else {
            throw Problem.notFound("Не указаны здание и зал.")
        }
        return try await database.saveRoom(Room(slug: slug, name: body.name, capacity: body.capacity), in: building)
    }

    private static func slug(_ context: ForumRequestContext) throws -> String {
        guard let slug = context.parameters.get("slug") else { throw Problem.notFound("Не указана сессия.") }
        return slug
    }
}

/// `{"note": "Перенос круглых столов"}`.
struct PublishRequest: Decodable {
    var note: String
}

/// A hall's name and seats.
struct RoomBody: Decodable {
    var name: String
    var capacity: Int
}

/// `{"participantId": 42}`.
struct EnrollmentRequest: Decodable {
    var participantId: Int64
}

/// A new session as the admin API receives it: the patch's fields plus slug, kind, hall and times.
struct SessionDraft: Decodable {
    var slug: String
    var kind: SessionKind
    var title: String
    var room: String
    var start: String
    var end: String
    var description: String?
    var track: String?
    var capacity: Int?
    var people: [SessionPerson]?

    func session() throws -> Session {
        var patch = SessionPatch()
        (patch.description, patch.track, patch.capacity, patch.people) = (description, track, capacity, people)
        (patch.start, patch.end) = (start, end)
        let placeholder = Session(slug: slug, kind: kind, title: title, room: room, start: .distantPast, end: .distantFuture)
        return try patch.applied(to: placeholder)
    }
}

extension Session: ResponseEncodable {}
extension Enrollment: ResponseEncodable {}
extension Withdrawal: ResponseEncodable {}
extension ProgrammePerson: ResponseEncodable {}
extension ScheduleProblem: ResponseEncodable {}
extension ReleaseSummary: ResponseEncodable {}
extension Building: ResponseEncodable {}
extension Room: ResponseEncodable {}
