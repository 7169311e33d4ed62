import ForumAPI
import ForumDomain
import Foundation
import Hummingbird

/// The one JSON encoding of every response (`APIJSON`): sorted keys and ISO 8601 dates, so the
/// same data gives the same bytes (stable ETags, readable diffs).
enum ForumJSON {
    static let encoder = APIJSON.encoder

    /// A 200 (or `status`) with a JSON body.
    static func response(_ body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// `value` encoded as a response.
    static func response(_ value: some Encodable) throws -> Response {
        response(ByteBuffer(data: try encoder.encode(value)))
    }
}

/// Participants' JSON documents as last encoded, by id and by view. A participant's document
/// is encoded once and reused until any of their stored values changes: a search answer is
/// then mostly copied bytes, not Foundation's encoder at work.
final class ParticipantDocuments: Sendable {
    /// Who the document is for.
    enum View: Hashable, Sendable {
        /// Organisers: everything, contacts included.
        case organiser
        /// Desks: the participant without e-mail and phone.
        case desk
    }

    private struct Key: Hashable, Sendable {
        var id: Int64
        var view: View
    }

    /// Enough for every participant in both views.
    private let encoded = BoundedCache<Key, (participant: Participant, json: ByteBuffer)>(capacity: 16_384)

    /// The document of `participant` for `view`.
    func json(_ participant: Participant, _ view: View) throws -> ByteBuffer {
        try encoded.value(for: Key(id: participant.id, view: view), isCurrent: { $0.participant == participant }) {
            (participant, ByteBuffer(data: try ForumJSON.encoder.encode(ParticipantDocument(participant, contacts: view == .organiser))))
        }.json
    }

    /// One participant as a response.
    func response(_ participant: Participant, _ view: View, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        ForumJSON.response(try json(participant, view), status: status, headers: headers)
    }

    /// A page of participants, `{"items":[…],"page":…,"perPage":…,"total":…}` as `PageOf` encodes it.
    func response(_ page: PageOf<Participant>, _ view: View) throws -> Response {
        var body = ByteBuffer(string: "{\"items\":[")
        for (index, participant) in page.items.enumerated() {
            if index > 0 { body.writeStaticString(",") }
            var json = try json(participant, view)
            body.writeBuffer(&json)
        }
        body.writeString("],\"page\":\(page.page)" + (page.perPage.map { ",\"perPage\":\($0)" } ?? "") + ",\"total\":\(page.total)}")
        return ForumJSON.response(body)
    }
}
