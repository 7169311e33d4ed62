import ForumAPI
import ForumDomain
import ForumStore
import Foundation
import Hummingbird

/// `/api/v1/participants`: search and read (admin and desk tokens); register, edit, cancel and
/// reinstate (admin tokens).
struct ParticipantsController {
    let database: ForumDatabase
    let documents: ParticipantDocuments

    func addRoutes(to router: Router<ForumRequestContext>) {
        router.group("api/v1/participants")
            .add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin, .desk]))
            .get(use: list)
            .get(":id", use: show)
        router.group("api/v1/participants")
            .add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin]))
            .post(use: create)
            .patch(":id", use: update)
            .post(":id/cancel", use: cancel)
            .post(":id/reinstate", use: reinstate)
    }

    @Sendable func list(_ request: Request, context: ForumRequestContext) async throws -> Response {
        var filter = try Self.filter(from: QueryParameters(request))
        filter.searchesContacts = context.mayReadContacts
        return try documents.response(try await database.participants(matching: filter), context.mayReadContacts ? .organiser : .desk)
    }

    @Sendable func show(_ request: Request, context: ForumRequestContext) async throws -> Response {
        try documents.response(try await database.participant(id: try Self.id(context)), context.mayReadContacts ? .organiser : .desk)
    }

    @Sendable func create(_ request: Request, context: ForumRequestContext) async throws -> EditedResponse<RegistrationDocument> {
        let form = try await request.decodeJSON(as: ParticipantForm.self, context: context)
        let registration = try await database.register(RegistrationRow(form))
        var headers = HTTPFields()
        headers[.location] = "/api/v1/participants/\(registration.participant.id)"
        return EditedResponse(
            status: registration.result == .created ? .created : .ok, headers: headers,
            response: RegistrationDocument(
                result: registration.result, participant: ParticipantDocument(registration.participant),
                likelyDuplicates: registration.likelyDuplicates
            )
        )
    }

    @Sendable func update(_ request: Request, context: ForumRequestContext) async throws -> Response {
        let form = try await request.decodeJSON(as: ParticipantForm.self, context: context)
        return try documents.response(try await database.updateParticipant(id: try Self.id(context), with: form), .organiser)
    }

    @Sendable func cancel(_ request: Request, context: ForumRequestContext) async throws -> Response {
        try documents.response(try await database.cancelParticipant(id: try Self.id(context)), .organiser)
    }

    @Sendable func reinstate(_ request: Request, context: ForumRequestContext) async throws -> Response {
        try documents.response(try await database.reinstateParticipant(id: try Self.id(context)), .organiser)
    }

    private static func id(_ context: ForumRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else {
            throw Problem.notFound("Идентификатор участника — целое число.")
        }
        return id
    }

    /// Reads `q`, `surname`, `region`, `category`, `status`, `page` and `perPage`; an empty
    /// `q` or `surname` (a search form's empty field) finds everyone.
    static func filter(from query: QueryParameters) throws -> ParticipantFilter {
        var filter = ParticipantFilter()
        filter.text = try query.text("q", maximumLength: 200).flatMap { $0.isEmpty ? nil : $0 }
        filter.surname = try query.text("surname", maximumLength: 100).flatMap { $0.isEmpty ? nil : $0 }
        filter.regionCode = try query.parsed("region", expected: "неизвестный регион") { FederalSubject.find($0)?.code }
        filter.category = try query.parsed("category", expected: "неизвестная категория", ParticipantCategory.init(parsing:))
        filter.status = try query.parsed("status", expected: "ожидается registered или cancelled", ParticipantStatus.init(rawValue:))
        filter.page = Page(
            number: Int(try query.integer("page", in: 1...Int64(Page.maximumNumber)) ?? 1), size: Int(try query.integer("perPage", in: 1...Int64(Page.maximumSize)) ?? 50)
        )
        return filter
    }
}

/// The answer to registering one participant: what happened and who may be the same person.
struct RegistrationDocument: ResponseEncodable {
    /// `created`, `updated` (same e-mail or external id) or `unchanged`.
    var result: SingleRegistration.Result
    var participant: ParticipantDocument
    /// Ids of registered participants with the same name and municipality.
    var likelyDuplicates: [Int64]
}

extension ParticipantDocument: ResponseEncodable {}

extension Request {
    /// The body decoded as JSON, refusing bodies over the context's limit; decoding errors reach
    /// `Problem` as they are, so their message names the field in Russian.
    func decodeJSON<Value: Decodable>(as type: Value.Type, context: ForumRequestContext) async throws -> Value {
        let body = try await self.body.collect(upTo: context.maxUploadSize)
        // Dates arrive as ISO 8601 with an offset, as every response writes them.
        return try APIJSON.decoder.decode(Value.self, from: body)
    }
}
