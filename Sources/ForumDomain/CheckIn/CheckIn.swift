import Foundation

/// Why a scan was refused, or `ok`: one machine-readable answer a desk shows in words.
public enum CheckInResult: String, Sendable, Hashable, Codable, CaseIterable {
    case ok
    case invalidSignature = "invalid_signature"
    case unknown
    case revoked
    case cancelled
    case alreadyCheckedIn = "already_checked_in"
    case wrongList = "wrong_list"
    case notEnrolled = "not_enrolled"
    case sessionFull = "session_full"
    case outsideHours = "outside_hours"
    /// The server (or an offline desk) holds no badge key: it cannot tell a good badge from a
    /// forged one, and says so instead of blaming the badge.
    case cannotVerify = "cannot_verify"

    /// What the desk says, big, in Russian.
    public var russianName: String {
        switch self {
        case .ok: "Проходите"
        case .invalidSignature: "Бейдж не читается или подделан"
        case .unknown: "Участник не найден"
        case .revoked: "Бейдж заменён — выдан новый"
        case .cancelled: "Регистрация отменена"
        case .alreadyCheckedIn: "Уже отмечен"
        case .wrongList: "Вход не по этому списку"
        case .notEnrolled: "Нет записи на эту сессию"
        case .sessionFull: "Зал заполнен"
        case .outsideHours: "Вход сейчас закрыт"
        case .cannotVerify: "Бейджи сейчас не проверяются: нет ключа — позовите организатора"
        }
    }
}

/// Who may pass through a check-in list: the entrance, a session's hall, or a list organisers
/// made for something else (lunch, the transfer buses, badge pick-up).
public struct CheckInList: Sendable, Hashable, Codable {
    /// `entrance`, the session's slug, or the slug an organiser gave.
    public var slug: String
    public var title: String
    /// For a hall: the session whose sign-ups it admits (if the session has any) and whose hall
    /// it must not overfill.
    public var session: String?
    /// Only these categories, if set.
    public var categories: Set<ParticipantCategory>?
    /// Spans of time the list admits, as the programme sets them.
    public var hours: [DateInterval]
    /// Opened by hand until then (`forum checkins open LIST --until …`).
    public var openUntil: Date?
    /// How many people the hall holds; `nil` for the entrance.
    public var capacity: Int?
    /// Whether only the session's seated sign-ups may enter.
    public var requiresEnrollment: Bool
    /// Whether a person may pass many times (the buses, lunch on a pass); otherwise once.
    public var repeatable: Bool

    public init(
        slug: String, title: String, session: String? = nil, categories: Set<ParticipantCategory>? = nil, hours: [DateInterval] = [],
        openUntil: Date? = nil, capacity: Int? = nil, requiresEnrollment: Bool = false, repeatable: Bool = false
    ) {
        self.repeatable = repeatable
        self.slug = slug
        self.title = title
        self.session = session
        self.categories = categories
        self.hours = hours
        self.openUntil = openUntil
        self.capacity = capacity
        self.requiresEnrollment = requiresEnrollment
    }

    public static let entranceSlug = "entrance"

    enum CodingKeys: String, CodingKey {
        case slug, title, session, categories, hours, openUntil, capacity, requiresEnrollment, repeatable
    }

    /// Reads a list as JSON; one a desk kept from an older server has no `repeatable` and admits once.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            slug: try container.decode(String.self, forKey: .slug), title: try container.decode(String.self, forKey: .title),
            session: try container.decodeIfPresent(String.self, forKey: .session),
            categories: try container.decodeIfPresent(Set<ParticipantCategory>.self, forKey: .categories),
            hours: try container.decode([DateInterval].self, forKey: .hours), openUntil: try container.decodeIfPresent(Date.self, forKey: .openUntil),
            capacity: try container.decodeIfPresent(Int.self, forKey: .capacity),
            requiresEnrollment: try container.decode(Bool.self, forKey: .requiresEnrollment),
            repeatable: try container.decodeIfPresent(Bool.self, forKey: .repeatable) ?? false
        )
    }

    public func isOpen(at moment: Date) -> Bool {
        if let openUntil, moment <= openUntil { return true }
        return hours.contains { $0.contains(moment) }
    }

    /// The entrance: open on the forum's days (none before a programme exists).
    public static func entrance(days: [Edition.Day]) -> CheckInList {
        CheckInList(slug: entranceSlug, title: "Вход на форум", hours: days.map { DateInterval(start: $0.opens, end: $0.closes) })
    }

    /// A session's hall: open from half an hour before its start to its end, no fuller than
    /// the room; a session with sign-up admits its seated sign-ups only.
    public static func hall(_ session: Session, roomCapacity: Int?) -> CheckInList {
        CheckInList(
            slug: session.slug, title: session.title, session: session.slug,
            hours: [DateInterval(start: session.start.addingTimeInterval(-30 * 60), end: session.end)],
            capacity: roomCapacity, requiresEnrollment: session.capacity != nil
        )
    }
}

/// What the door knows when a scan arrives, gathered with indexed lookups.
public struct CheckInFacts: Sendable {
    /// The badge's credential, `nil` if the code did not verify.
    public var credential: BadgeCredential?
    public var participant: (any BadgeHolder)?
    public var list: CheckInList
    public var now: Date
    /// Whether the participant already has a standing check-in at this list (no matter at a
    /// list that admits many times).
    public var alreadyIn: Bool
    public var seated: Bool
    /// Standing check-ins at this list so far.
    public var admitted: Int
    /// Whether a badge key was there to verify the code with.
    public var canVerify: Bool

    public init(
        credential: BadgeCredential?, participant: (any BadgeHolder)?, list: CheckInList, now: Date, alreadyIn: Bool, seated: Bool, admitted: Int,
        canVerify: Bool = true
    ) {
        self.canVerify = canVerify
        self.credential = credential
        self.participant = participant
        self.list = list
        self.now = now
        self.alreadyIn = alreadyIn
        self.seated = seated
        self.admitted = admitted
    }

    /// The answer, the reasons in the order a desk should hear them.
    public var result: CheckInResult {
        guard let credential else { return canVerify ? .invalidSignature : .cannotVerify }
        guard let participant else { return .unknown }
        switch BadgeStanding(credential, participant: participant) {
        case .unknown: return .unknown
        case .revoked: return .revoked
        case .cancelled: return .cancelled
        case .valid: break
        }
        if let categories = list.categories, !categories.contains(participant.category) { return .wrongList }
        if list.requiresEnrollment && !seated { return .notEnrolled }
        if alreadyIn && !list.repeatable { return .alreadyCheckedIn }
        if !list.isOpen(at: now) { return .outsideHours }
        if let capacity = list.capacity, admitted >= capacity { return .sessionFull }
        return .ok
    }
}

/// A scan as kept for the audit trail: every answer, refusals too.
public struct CheckInRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var list: String
    public var participantID: Int64?
    public var desk: String
    public var nonce: String
    public var scannedAt: Date
    public var recordedAt: Date
    public var result: CheckInResult
    /// `online`, or `offline` when a desk decided and uploaded later.
    public var source: String
    public var annulledAt: Date?
    public var annulReason: String?
    /// The name of the API token that sent the scan (the desk name is what the caller said).
    public var token: String?
    /// Who annulled it: a token's name, or the command line and its user.
    public var annulledBy: String?
    /// The time an offline desk claimed for the scan when it was too far from the server's clock
    /// to believe: the scan was then judged, and is dated, at its upload.
    public var claimedScannedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, list, participantID = "participantId", desk, nonce, scannedAt, recordedAt, result, source, annulledAt, annulReason, token, annulledBy, claimedScannedAt
    }

    public init(
        id: Int64, list: String, participantID: Int64?, desk: String, nonce: String, scannedAt: Date, recordedAt: Date,
        result: CheckInResult, source: String, annulledAt: Date? = nil, annulReason: String? = nil, token: String? = nil, annulledBy: String? = nil,
        claimedScannedAt: Date? = nil
    ) {
        self.claimedScannedAt = claimedScannedAt
        self.id = id
        self.list = list
        self.participantID = participantID
        self.desk = desk
        self.nonce = nonce
        self.scannedAt = scannedAt
        self.recordedAt = recordedAt
        self.result = result
        self.source = source
        self.annulledAt = annulledAt
        self.annulReason = annulReason
        self.token = token
        self.annulledBy = annulledBy
    }
}
