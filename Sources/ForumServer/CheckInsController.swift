import ForumAPI
import ForumCredentials
import ForumDomain
import ForumStore
import Foundation
import Hummingbird

/// `/api/v1/checkins`: a desk's scan (or a person picked at the desk) answered with `ok` or a
/// reason — a normal answer, never an error —, the audit trail and annulment; and
/// `/api/v1/desk/search`, the lookup for a lost badge. Requests and answers are `ForumAPI`'s
/// wire types, which the desk decodes.
struct CheckInsController {
    let database: ForumDatabase
    /// Knows genuine codes; without a key every code is `cannot_verify`.
    let codes: BadgeCodeBook?
    /// Desk tokens seen lately (`/metrics`).
    let desks: DeskPresence
    /// Search matches as last encoded, by person revision and check-in.
    let matches = BoundedCache<DeskSearchMatch.Key, Data>(capacity: 16_384)
    /// The door's view of each person as last encoded, until they change.
    let people = BoundedCache<Int64, (participant: Participant, json: Data)>(capacity: 16_384)
    /// Check-ins as last encoded, until annulled: a badge scanned again answers with its first
    /// check-in, encoded when it was made.
    let records = BoundedCache<Int64, (record: CheckInRecord, json: Data)>(capacity: 16_384)

    func addRoutes(to router: Router<ForumRequestContext>) {
        let door = router.group("api/v1").add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin, .desk]))
            .add(middleware: DeskPresenceMiddleware(desks: desks))
        door.post("checkins", use: checkIn)
        door.get("checkins/lists", use: lists)
        door.get("desk/search", use: search)
        door.get("desk/snapshot", use: snapshot)
        let admins = router.group("api/v1/checkins").add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin]))
        admins.get(use: trail)
        admins.post(":id/annul", use: annul)
    }

    /// How far an offline scan's own time is believed: a desk's copy is at most two days old,
    /// and a clock a little fast is still a clock.
    static let scannedAtWindow = (back: TimeInterval(48 * 3600), ahead: TimeInterval(5 * 60))

    @Sendable func checkIn(_ request: Request, context: ForumRequestContext) async throws -> Response {
        let scan = try await request.decodeJSON(as: ScanRequest.self, context: context)
        let problems = scan.problems
        guard problems.isEmpty, let desk = RussianText.tidy(scan.desk) else { throw ValidationFailure(problems) }
        let now = Date()
        // An offline scan is judged by when it was scanned, if that is believable; otherwise by
        // now, and the trail keeps the time the desk claimed only as its own word.
        let offline = scan.offline ?? false
        let scannedAt = scan.scannedAt.flatMap { moment in
            moment >= now.addingTimeInterval(-Self.scannedAtWindow.back) && moment <= now.addingTimeInterval(Self.scannedAtWindow.ahead) ? moment : nil
        }
        let answer = try await database.checkIn(CheckInRequest(
            credential: scan.code.flatMap { codes?.credential($0) }, participantID: scan.code == nil ? scan.participantId : nil, list: scan.list,
            desk: desk, nonce: scan.nonce, scannedAt: offline ? scannedAt : nil, offline: offline,
            claimedScannedAt: offline && scannedAt == nil ? scan.scannedAt : nil, token: context.token, canVerify: codes != nil
        ))
        if !answer.replayed { ForumMetrics.checkIn(list: scan.list, result: answer.record.result, offline: offline) }
        let person = try answer.participant.map { participant in
            try people.value(for: participant.id, isCurrent: { $0.participant == participant }) {
                (participant, try APIJSON.encoder.encode(DoorPerson(participant)))
            }.json
        }
        return ForumJSON.response(ByteBuffer(data: ScanAnswer.json(
            result: answer.record.result, checkIn: try encoded(answer.record), participant: person, first: try answer.first.map(encoded),
            replayed: answer.replayed
        )))
    }

    private func encoded(_ record: CheckInRecord) throws -> Data {
        try records.value(for: record.id, isCurrent: { $0.record == record }) { (record, try APIJSON.encoder.encode(record)) }.json
    }

    @Sendable func lists(_ request: Request, context: ForumRequestContext) async throws -> [CheckInList] {
        try await database.checkInLists()
    }

    /// `{"items":[…],"total":N}`: the first ten matches (`limit` up to 50) and how many there
    /// are — a volunteer types another letter rather than scrolls. A match seen before (same
    /// person revision, same check-in) is copied bytes, not encoded again.
    @Sendable func search(_ request: Request, context: ForumRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let list = try query.slug("list") ?? CheckInList.entranceSlug
        let limit = Int(try query.integer("limit", in: 1...Int64(DeskSearchMatch.Limit.matches)) ?? 10)
        guard let text = try query.text("q", maximumLength: DeskSearchMatch.Limit.query), !text.isEmpty else {
            throw ValidationFailure([FieldError(field: "q", message: "укажите начало фамилии")])
        }
        let matches = matches
        let found = try await database.deskSearch(text, list: list, limit: limit) { row in
            try matches.value(for: DeskSearchMatch.Key(id: row.id, revision: row.revision, checkIn: row.checkInID)) {
                try APIJSON.encoder.encode(DeskSearchMatch(participant: try row.person(), checkedIn: row.checkInID == nil ? nil : try row.checkIn()))
            }
        }
        return ForumJSON.response(ByteBuffer(data: DeskSearchAnswer.json(encodedItems: found.items, total: found.total)))
    }

    /// What a desk keeps to decide scans offline: `?list=entrance&people=REVISION&checkIns=ID`
    /// gives only what changed since the desk's copy (both 0, or absent: everything).
    @Sendable func snapshot(_ request: Request, context: ForumRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let cursor = DeskSnapshot.Cursor(
            people: try query.integer("people", in: 0...Int64.max) ?? 0, checkIns: try query.integer("checkIns", in: 0...Int64.max) ?? 0
        )
        var snapshot = try await database.deskSnapshot(list: try query.slug("list") ?? CheckInList.entranceSlug, since: cursor)
        snapshot.publicKey = codes?.signer.verifier.keyText
        snapshot.edition = codes?.signer.edition
        return try ForumJSON.response(snapshot)
    }

    @Sendable func trail(_ request: Request, context: ForumRequestContext) async throws -> [CheckInRecord] {
        let query = QueryParameters(request)
        return try await database.checkIns(
            participant: try query.integer("participant", in: 1...Int64(UInt32.max)), list: try query.slug("list"),
            limit: Int(try query.integer("limit", in: 1...10_000) ?? 1000)
        )
    }

    @Sendable func annul(_ request: Request, context: ForumRequestContext) async throws -> CheckInRecord {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Problem.notFound("Номер отметки — целое число.") }
        let body = try await request.decodeJSON(as: AnnulBody.self, context: context)
        return try await database.annulCheckIn(id: id, reason: body.reason, by: context.token)
    }
}

struct AnnulBody: Decodable {
    var reason: String
}

extension CheckInRecord: ResponseEncodable {}
extension CheckInList: ResponseEncodable {}
