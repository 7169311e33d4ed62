import ForumDomain
import Foundation
import Hummingbird
import Synchronization

/// The one JSON encoding of every response: sorted keys and ISO 8601 dates, so the same data
/// gives the same bytes (stable ETags, readable diffs).
enum ForumJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}

/// Participants' JSON documents as last encoded, by id and by whether contacts are shown. A
/// participant's document is encoded once and reused until any of their stored values changes:
/// a search answer is then mostly copied bytes, not Foundation's encoder at work.
final class ParticipantDocuments: Sendable {
    private struct Key: Hashable {
        var id: Int64
        var contacts: Bool
    }

    private let encoded = Mutex<[Key: (participant: Participant, json: ByteBuffer)]>([:])

    /// The document of `participant`, with e-mail and phone only if `contacts`.
    func json(_ participant: Participant, contacts: Bool) throws -> ByteBuffer {
        let key = Key(id: participant.id, contacts: contacts)
        if let cached = encoded.withLock({ $0[key] }), cached.participant == participant {
            return cached.json
        }
        let json = ByteBuffer(data: try ForumJSON.encoder.encode(ParticipantDocument(participant, contacts: contacts)))
        encoded.withLock { $0[key] = (participant, json) }
        return json
    }

    /// One participant as a response.
    func response(_ participant: Participant, contacts: Bool, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: try json(participant, contacts: contacts)))
    }

    /// A page of participants, `{"items":[…],"page":…,"perPage":…,"total":…}` as `PageOf` encodes it.
    func response(_ page: PageOf<Participant>, contacts: Bool) throws -> Response {
        var body = ByteBuffer(string: "{\"items\":[")
        for (index, participant) in page.items.enumerated() {
            if index > 0 { body.writeStaticString(",") }
            var json = try json(participant, contacts: contacts)
            body.writeBuffer(&json)
        }
        body.writeString("],\"page\":\(page.page)" + (page.perPage.map { ",\"perPage\":\($0)" } ?? "") + ",\"total\":\(page.total)}")
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}
