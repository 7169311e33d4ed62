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
        var filter = try Self.filter(from: request.uri.queryParameters)
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

    /// Reads `q`, `surname`, `region`, `category`, `status`, `page` and `perPage`.
    static func filter(from query: Parameters) throws -> ParticipantFilter {
        var errors: [FieldError] = []
        func value<T>(_ name: String, _ parse: (String) -> T?, _ message: String) -> T? {
            guard let text = query[Substring(name)].map(String.init), !text.isEmpty else { return nil }
            guard let parsed = parse(text) else {
                errors.append(FieldError(field: name, message: "«\(text)» — \(message)"))
                return nil
            }
            return parsed
        }
        var filter = ParticipantFilter()
        filter.text = value("q", { $0 }, "")
        filter.surname = value("surname", { $0 }, "")
        filter.regionCode = value("region", { FederalSubject.find($0)?.code }, "неизвестный регион")
        filter.category = value("category", ParticipantCategory.init(parsing:), "неизвестная категория")
        filter.status = value("status", ParticipantStatus.init(rawValue:), "ожидается registered или cancelled")
        let number = value("page", { Int($0) }, "ожидается целое число") ?? 1
        let size = value("perPage", { Int($0) }, "ожидается целое число") ?? 50
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        filter.page = try Page(number: number, size: size).validated()
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
        return try Self.decoder.decode(Value.self, from: body)
    }

    /// Dates arrive as ISO 8601 with an offset, as every response writes them.
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
