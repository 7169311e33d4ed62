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

/// Participants' JSON documents as last encoded, by id and by view. A participant's document
/// is encoded once and reused until any of their stored values changes: a search answer or a
/// door's answer is then mostly copied bytes, not Foundation's encoder at work.
final class ParticipantDocuments: Sendable {
    /// Who the document is for.
    enum View: Hashable, Sendable {
        /// Organisers: everything, contacts included.
        case organiser
        /// Desks: the participant without e-mail and phone.
        case desk
        /// The door's screen: who the person is, in a few fields.
        case door
    }

    private struct Key: Hashable {
        var id: Int64
        var view: View
    }

    private let encoded = Mutex<[Key: (participant: Participant, json: ByteBuffer)]>([:])

    /// The document of `participant` for `view`.
    func json(_ participant: Participant, _ view: View) throws -> ByteBuffer {
        let key = Key(id: participant.id, view: view)
        if let cached = encoded.withLock({ $0[key] }), cached.participant == participant {
            return cached.json
        }
        let data = switch view {
        case .organiser, .desk: try ForumJSON.encoder.encode(ParticipantDocument(participant, contacts: view == .organiser))
        case .door: try ForumJSON.encoder.encode(DoorPerson(participant))
        }
        let json = ByteBuffer(data: data)
        encoded.withLock { $0[key] = (participant, json) }
        return json
    }

    /// One participant as a response.
    func response(_ participant: Participant, _ view: View, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: try json(participant, view)))
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

extension ForumJSON {
    /// A 200 with a JSON body assembled from encoded parts.
    static func response(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }

    /// Writes `"key":` and the value's JSON (keys must be written in sorted order).
    static func write(_ key: StaticString, _ value: some Encodable, to body: inout ByteBuffer, first: Bool = false) throws {
        if !first { body.writeStaticString(",") }
        body.writeStaticString("\"")
        body.writeStaticString(key)
        body.writeStaticString("\":")
        body.writeData(try encoder.encode(value))
    }

    /// Writes `"key":` and already encoded JSON.
    static func write(_ key: StaticString, json: ByteBuffer, to body: inout ByteBuffer, first: Bool = false) {
        var json = json
        if !first { body.writeStaticString(",") }
        body.writeStaticString("\"")
        body.writeStaticString(key)
        body.writeStaticString("\":")
        body.writeBuffer(&json)
    }
}
