import ForumBadges
import ForumDomain
import ForumStore
import Foundation
import Hummingbird

/// `/api/v1/checkins`: a desk's scan (or a person picked at the desk) answered with `ok` or a
/// reason — a normal answer, never an error —, the audit trail and annulment; and
/// `/api/v1/desk/search`, the lookup for a lost badge.
struct CheckInsController {
    let database: ForumDatabase
    /// Verifies scanned codes; without a key every code is `invalid_signature`.
    let signer: BadgeSigner?

    func addRoutes(to router: Router<ForumRequestContext>) {
        let desks = router.group("api/v1").add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin, .desk]))
        desks.post("checkins", use: checkIn)
        desks.get("checkins/lists", use: lists)
        desks.get("desk/search", use: search)
        let admins = router.group("api/v1/checkins").add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin]))
        admins.get(use: trail)
        admins.post(":id/annul", use: annul)
    }

    @Sendable func checkIn(_ request: Request, context: ForumRequestContext) async throws -> CheckInDocument {
        let scan = try await request.decodeJSON(as: ScanBody.self, context: context)
        let credential = scan.code.flatMap { code in signer.flatMap { try? BadgeCode.decode(code, verifyingWith: $0.publicKey) } }
        var errors: [FieldError] = []
        if scan.code == nil && scan.participantId == nil { errors.append(FieldError(field: "code", message: "передайте code (текст QR-кода) или participantId")) }
        if RussianText.tidy(scan.desk) == nil { errors.append(FieldError(field: "desk", message: "укажите стойку")) }
        if scan.nonce.isEmpty || scan.nonce.count > 100 { errors.append(FieldError(field: "nonce", message: "уникальный идентификатор скана, до 100 символов")) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        let answer = try await database.checkIn(CheckInRequest(
            credential: credential, participantID: scan.code == nil ? scan.participantId : nil, list: scan.list, desk: scan.desk,
            nonce: scan.nonce, scannedAt: scan.scannedAt, offline: scan.offline ?? false
        ))
        return CheckInDocument(answer)
    }

    @Sendable func lists(_ request: Request, context: ForumRequestContext) async throws -> [CheckInList] {
        try await database.checkInLists()
    }

    @Sendable func search(_ request: Request, context: ForumRequestContext) async throws -> [DeskMatchDocument] {
        let query = request.uri.queryParameters
        let list = query["list"].map(String.init) ?? CheckInList.entranceSlug
        return try await database.deskSearch(query["q"].map(String.init) ?? "", list: list).map(DeskMatchDocument.init)
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

/// Who a person is, as the door shows them: no e-mail, no phone.
struct DoorPerson: Encodable {
    var id: Int64
    var fullName: String
    var category: ParticipantCategory
    var categoryName: String
    var regionName: String
    var municipality: String
    var position: String?
    var badgeSerial: Int

    init(_ participant: Participant) {
        let details = participant.details
        id = participant.id
        fullName = details.fullName
        category = details.category
        categoryName = details.category.russianName
        regionName = details.region.name
        municipality = details.municipality
        position = details.position
        badgeSerial = participant.badgeSerial
    }
}

/// The answer to a scan.
struct CheckInDocument: ResponseEncodable {
    var result: CheckInResult
    /// In words for the screen: «Уже отмечен».
    var message: String
    var checkIn: CheckInRecord
    var participant: DoorPerson?
    /// For `already_checked_in`: when and where they came in first.
    var first: CheckInRecord?
    var replayed: Bool

    init(_ answer: CheckInAnswer) {
        result = answer.record.result
        message = answer.record.result.russianName
        checkIn = answer.record
        participant = answer.participant.map(DoorPerson.init)
        first = answer.first
        replayed = answer.replayed
    }
}

struct DeskMatchDocument: ResponseEncodable {
    var participant: DoorPerson
    var status: ParticipantStatus
    var checkedIn: CheckInRecord?

    init(_ match: DeskMatch) {
        participant = DoorPerson(match.participant)
        status = match.participant.status
        checkedIn = match.checkedIn
    }
}

extension CheckInRecord: ResponseEncodable {}
extension CheckInList: ResponseEncodable {}
