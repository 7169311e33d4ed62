import ForumDomain
import Foundation

/// `POST /api/v1/checkins`: a badge's scanned code, or a person picked at the desk.
public struct ScanRequest: Sendable, Hashable, Codable {
    /// The QR code's text, as scanned.
    public var code: String?
    /// A person picked from a search instead of a scan.
    public var participantId: Int64?
    public var list: String
    /// The desk's own name, as volunteers call it («Вход 3»).
    public var desk: String
    /// The desk's id for this scan: the same nonce twice is the same scan.
    public var nonce: String
    /// When the desk scanned it (an offline upload); the server's clock otherwise.
    public var scannedAt: Date?
    /// Decided by the desk while the server did not answer, uploaded now.
    public var offline: Bool?

    public init(code: String?, participantId: Int64?, list: String, desk: String, nonce: String, scannedAt: Date?, offline: Bool?) {
        self.code = code
        self.participantId = participantId
        self.list = list
        self.desk = desk
        self.nonce = nonce
        self.scannedAt = scannedAt
        self.offline = offline
    }

    /// The longest values accepted (also in the OpenAPI document); `list` is a slug (`Slug`).
    public enum Limit {
        public static let desk = 100
        public static let nonce = 100
        /// Far longer than any badge code, so a scanner's whitespace never matters.
        public static let code = 512
    }
}

extension ScanRequest {
    /// Every reason the server cannot decide this scan, each naming its field (a 422); empty
    /// when it can. Text with control or direction-changing characters, or longer than `Limit`,
    /// is refused, and so is a desk's name with nothing left after trimming spaces.
    public var problems: [FieldError] {
        var errors = [
            PlainText.fieldError(desk, field: "desk", maximumLength: Limit.desk),
            PlainText.fieldError(nonce, field: "nonce", maximumLength: Limit.nonce),
            code.flatMap { PlainText.fieldError($0, field: "code", maximumLength: Limit.code) },
        ].compactMap { $0 }
        if code == nil && participantId == nil { errors.append(FieldError(field: "code", message: "передайте code (текст QR-кода) или participantId")) }
        if errors.isEmpty && RussianText.tidy(desk) == nil { errors.append(FieldError(field: "desk", message: "укажите стойку")) }
        if nonce.isEmpty { errors.append(FieldError(field: "nonce", message: "уникальный идентификатор скана, до 100 символов")) }
        if let problem = Slug.problem(list) { errors.append(FieldError(field: "list", message: problem)) }
        return errors
    }
}

/// The answer to a scan: `ok` or the reason, always a 200 — a refusal at the door is a normal
/// answer, not an error.
public struct ScanAnswer: Sendable, Hashable, Codable {
    public var result: CheckInResult
    /// The reason in Russian, as the desk shows it.
    public var message: String
    /// The scan as the server keeps it (its id places it against a snapshot's cursor).
    public var checkIn: CheckInRecord
    public var participant: DoorPerson?
    /// For `already_checked_in`: the standing check-in.
    public var first: CheckInRecord?
    /// The nonce was seen before: this is the stored answer.
    public var replayed: Bool

    public init(result: CheckInResult, checkIn: CheckInRecord, participant: DoorPerson?, first: CheckInRecord?, replayed: Bool) {
        self.result = result
        message = result.russianName
        self.checkIn = checkIn
        self.participant = participant
        self.first = first
        self.replayed = replayed
    }
}

extension ScanAnswer {
    /// The answer's JSON from its records and person already encoded by `APIJSON.encoder` (a
    /// server keeps what it encoded until it changes): byte for byte what encoding the whole
    /// answer gives, without encoding them again for every scan.
    public static func json(result: CheckInResult, checkIn: Data, participant: Data?, first: Data?, replayed: Bool) -> Data {
        var json = Data("{\"checkIn\":".utf8)
        json.append(checkIn)
        if let first {
            json.append(contentsOf: ",\"first\":".utf8)
            json.append(first)
        }
        json.append(contentsOf: ",\"message\":".utf8)
        json.append(encodedResults[result]!.message)
        if let participant {
            json.append(contentsOf: ",\"participant\":".utf8)
            json.append(participant)
        }
        json.append(contentsOf: ",\"replayed\":\(replayed),\"result\":".utf8)
        json.append(encodedResults[result]!.result)
        json.append(UInt8(ascii: "}"))
        return json
    }

    /// Each result and its message, encoded once.
    private static let encodedResults = Dictionary(uniqueKeysWithValues: CheckInResult.allCases.map { result in
        // Encoding a string or a string-backed enum cannot fail.
        (result, (message: try! APIJSON.encoder.encode(result.russianName), result: try! APIJSON.encoder.encode(result)))
    })
}

/// One person found by `GET /api/v1/desk/search`, with their standing check-in at the list.
public struct DeskSearchMatch: Sendable, Hashable, Codable {
    public var participant: DoorPerson
    public var checkedIn: CheckInRecord?
    public var status: ParticipantStatus

    public init(participant: DoorPerson, checkedIn: CheckInRecord?) {
        self.participant = participant
        self.checkedIn = checkedIn
        status = participant.status
    }

    /// What a match's encoding depends on: the person's revision and their check-in.
    public struct Key: Sendable, Hashable {
        public var id: Int64
        public var revision: Int64
        public var checkIn: Int64?

        public init(id: Int64, revision: Int64, checkIn: Int64?) {
            self.id = id
            self.revision = revision
            self.checkIn = checkIn
        }
    }

    /// The longest query and the most matches a desk may ask for.
    public enum Limit {
        public static let query = 100
        public static let matches = 50
    }
}

/// `GET /api/v1/desk/search`: the first matches and how many there are in all, so that a desk
/// can say «показаны 9 из 47 — наберите ещё букву».
public struct DeskSearchAnswer: Sendable, Hashable, Codable {
    public var items: [DeskSearchMatch]
    public var total: Int

    public init(items: [DeskSearchMatch], total: Int) {
        self.items = items
        self.total = total
    }

    /// The answer's JSON from matches already encoded by `APIJSON.encoder` (a server keeps them
    /// encoded): the same bytes as encoding the answer whole.
    public static func json(encodedItems: [Data], total: Int) -> Data {
        var json = Data("{\"items\":[".utf8)
        for (index, item) in encodedItems.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            json.append(item)
        }
        json.append(contentsOf: "],\"total\":\(total)}".utf8)
        return json
    }
}
