import ForumBadges
import ForumDomain
import ForumStore
import Foundation
import Hummingbird
import Synchronization

/// `/api/v1/checkins`: a desk's scan (or a person picked at the desk) answered with `ok` or a
/// reason — a normal answer, never an error —, the audit trail and annulment; and
/// `/api/v1/desk/search`, the lookup for a lost badge.
struct CheckInsController {
    let database: ForumDatabase
    /// Verifies scanned codes; without a key every code is `invalid_signature`.
    let signer: BadgeSigner?
    let documents: ParticipantDocuments
    let verified = VerifiedCodes()
    let records = EncodedRecords()
    let doors = DoorDocuments()

    func addRoutes(to router: Router<ForumRequestContext>) {
        let desks = router.group("api/v1").add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin, .desk]))
        desks.post("checkins", use: checkIn)
        desks.get("checkins/lists", use: lists)
        desks.get("desk/search", use: search)
        desks.get("desk/snapshot", use: snapshot)
        let admins = router.group("api/v1/checkins").add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin]))
        admins.get(use: trail)
        admins.post(":id/annul", use: annul)
    }

    @Sendable func checkIn(_ request: Request, context: ForumRequestContext) async throws -> Response {
        let scan = try await request.decodeJSON(as: ScanBody.self, context: context)
        let credential = scan.code.flatMap { code in signer.flatMap { signer in verified.credential(code, signer: signer) } }
        var errors: [FieldError] = []
        if scan.code == nil && scan.participantId == nil { errors.append(FieldError(field: "code", message: "передайте code (текст QR-кода) или participantId")) }
        if RussianText.tidy(scan.desk) == nil { errors.append(FieldError(field: "desk", message: "укажите стойку")) }
        if scan.nonce.isEmpty || scan.nonce.count > 100 { errors.append(FieldError(field: "nonce", message: "уникальный идентификатор скана, до 100 символов")) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        let answer = try await database.checkIn(CheckInRequest(
            credential: credential, participantID: scan.code == nil ? scan.participantId : nil, list: scan.list, desk: scan.desk,
            nonce: scan.nonce, scannedAt: scan.scannedAt, offline: scan.offline ?? false
        ))
        return try answerResponse(answer)
    }

    /// `{"checkIn","first"?,"message","participant"?,"replayed","result"}`, the person's part
    /// from the documents cache.
    private func answerResponse(_ answer: CheckInAnswer) throws -> Response {
        var body = ByteBuffer(string: "{")
        try ForumJSON.write("checkIn", answer.record, to: &body, first: true)
        if let first = answer.first { try ForumJSON.write("first", first, to: &body) }
        try ForumJSON.write("message", answer.record.result.russianName, to: &body)
        if let participant = answer.participant { ForumJSON.write("participant", json: try documents.json(participant, .door), to: &body) }
        try ForumJSON.write("replayed", answer.replayed, to: &body)
        try ForumJSON.write("result", answer.record.result, to: &body)
        body.writeStaticString("}")
        return ForumJSON.response(body)
    }

    @Sendable func lists(_ request: Request, context: ForumRequestContext) async throws -> [CheckInList] {
        try await database.checkInLists()
    }

    /// `[{"checkedIn"?,"participant","status"}]`: the first ten matches (`limit` up to 50) — a
    /// volunteer types another letter rather than scrolls. A person or check-in seen before is
    /// copied bytes, not decoded and encoded again.
    @Sendable func search(_ request: Request, context: ForumRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let list = query["list"].map(String.init) ?? CheckInList.entranceSlug
        let limit = query["limit"].flatMap { Int($0) }.map { min(max($0, 1), 50) } ?? 10
        let doors = doors, records = records
        let items = try await database.deskSearch(query["q"].map(String.init) ?? "", list: list, limit: limit) { row in
            var item = ByteBuffer(string: "{")
            if let id = row.checkInID {
                ForumJSON.write("checkedIn", json: try records.json(id: id) { try row.checkIn() }, to: &item, first: true)
            }
            ForumJSON.write("participant", json: try doors.json(id: row.id, revision: row.revision) { try row.person() }, to: &item, first: row.checkInID == nil)
            item.writeString(",\"status\":\"\(try row.status().rawValue)\"}")
            return item
        }
        var body = ByteBuffer(string: "[")
        for (index, var item) in items.enumerated() {
            if index > 0 { body.writeStaticString(",") }
            body.writeBuffer(&item)
        }
        body.writeStaticString("]")
        return ForumJSON.response(body)
    }

    /// What a desk keeps to decide scans offline: `?list=entrance&people=REVISION&checkIns=ID`
    /// gives only what changed since the desk's copy (both 0, or absent: everything).
    @Sendable func snapshot(_ request: Request, context: ForumRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let cursor = DeskSnapshot.Cursor(people: query["people"].flatMap { Int64($0) } ?? 0, checkIns: query["checkIns"].flatMap { Int64($0) } ?? 0)
        var snapshot = try await database.deskSnapshot(list: query["list"].map(String.init) ?? CheckInList.entranceSlug, since: cursor)
        snapshot.publicKey = signer.map { BadgeKeys.text(of: $0.publicKey) }
        return ForumJSON.response(ByteBuffer(data: try ForumJSON.encoder.encode(snapshot)))
    }

    @Sendable func trail(_ request: Request, context: ForumRequestContext) async throws -> [CheckInRecord] {
        let query = request.uri.queryParameters
        return try await database.checkIns(participant: query["participant"].flatMap { Int64($0) }, list: query["list"].map(String.init))
    }

    @Sendable func annul(_ request: Request, context: ForumRequestContext) async throws -> CheckInRecord {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Problem.notFound("Номер отметки — целое число.") }
        let body = try await request.decodeJSON(as: AnnulBody.self, context: context)
        return try await database.annulCheckIn(id: id, reason: body.reason, by: context.token?.id)
    }
}

/// `{"code": "<scanned text>" | "participantId": 42, "list", "desk", "nonce", "scannedAt"?, "offline"?}`.
struct ScanBody: Decodable {
    var code: String?
    var participantId: Int64?
    var list: String
    var desk: String
    var nonce: String
    var scannedAt: Date?
    var offline: Bool?
}

struct AnnulBody: Decodable {
    var reason: String
}

/// Standing check-ins as last encoded, by id: a standing check-in never changes (annulling it
/// takes it out of the lookup), so that the desk lookup copies bytes.
final class EncodedRecords: Sendable {
    private let encoded = Mutex<[Int64: ByteBuffer]>([:])
    private static let limit = 100_000

    func json(id: Int64, record: () throws -> CheckInRecord) throws -> ByteBuffer {
        if let cached = encoded.withLock({ $0[id] }) { return cached }
        let json = ByteBuffer(data: try ForumJSON.encoder.encode(try record()))
        encoded.withLock { encoded in
            if encoded.count >= Self.limit { encoded.removeAll(keepingCapacity: true) }
            encoded[id] = json
        }
        return json
    }
}

/// The door's view of people as last encoded, by id with the revision it was made at.
final class DoorDocuments: Sendable {
    private let encoded = Mutex<[Int64: (revision: Int64, json: ByteBuffer)]>([:])

    func json(id: Int64, revision: Int64, person: () throws -> DoorPerson) throws -> ByteBuffer {
        if let cached = encoded.withLock({ $0[id] }), cached.revision == revision { return cached.json }
        let json = ByteBuffer(data: try ForumJSON.encoder.encode(try person()))
        encoded.withLock { $0[id] = (revision, json) }
        return json
    }
}

/// Badge codes already verified, so that a badge scanned again costs no signature check. It
/// forgets everything when it grows past what a forum can print.
final class VerifiedCodes: Sendable {
    private let known = Mutex<[String: BadgeCredential?]>([:])
    private static let limit = 200_000

    /// The credential of a code, or `nil` if it does not verify.
    func credential(_ code: String, signer: BadgeSigner) -> BadgeCredential? {
        if let cached = known.withLock({ $0[code] }) { return cached }
        let credential = try? BadgeCode.decode(code, verifyingWith: signer.publicKey)
        known.withLock { known in
            if known.count >= Self.limit { known.removeAll(keepingCapacity: true) }
            known[code] = credential
        }
        return credential
    }
}

extension CheckInRecord: ResponseEncodable {}
extension CheckInList: ResponseEncodable {}
