import Foundation

/// The organisers' figures at one moment: who is in, how fast people come, the desks, the halls,
/// the regions. The same document serves `GET /api/v1/stats`, `forum stats --json` and the
/// dashboard page.
public struct ForumStats: Sendable, Hashable, Codable {
    public var generatedAt: Date
    /// Registered (not cancelled) participants.
    public var registered: Int
    /// Registered participants not checked in at the entrance.
    public var noShows: Int
    public var lists: [ListStats]
    public var categories: [GroupStats]
    /// Every federal subject with registrations, by code.
    public var regions: [GroupStats]
    public var sessions: [SessionStats]
    public var desks: [DeskStats]

    public init(
        generatedAt: Date, registered: Int, noShows: Int, lists: [ListStats], categories: [GroupStats], regions: [GroupStats],
        sessions: [SessionStats], desks: [DeskStats]
    ) {
        self.generatedAt = generatedAt
        self.registered = registered
        self.noShows = noShows
        self.lists = lists
        self.categories = categories
        self.regions = regions
        self.sessions = sessions
        self.desks = desks
    }

    /// The length of an arrivals bucket: ten minutes, aligned alike in UTC and Moscow time.
    public static let bucket: TimeInterval = 600
}

/// One check-in list: who is in, what was refused and why, arrivals per ten minutes, and the
/// queue forecast while its desks work.
public struct ListStats: Sendable, Hashable, Codable {
    public var slug: String
    public var title: String
    /// Standing check-ins (`ok`, not annulled).
    public var checkedIn: Int
    /// Refusals by reason (`already_checked_in`, `revoked`, …).
    public var refused: [String: Int]
    public var annulled: Int
    /// Arrivals per ten minutes from the first to the last, empty buckets included.
    public var arrivals: [ArrivalBucket]
    /// While desks scanned at the list in the last five minutes.
    public var forecast: QueueForecast?

    public init(slug: String, title: String, checkedIn: Int, refused: [String: Int], annulled: Int, arrivals: [ArrivalBucket], forecast: QueueForecast?) {
        self.slug = slug
        self.title = title
        self.checkedIn = checkedIn
        self.refused = refused
        self.annulled = annulled
        self.arrivals = arrivals
        self.forecast = forecast
    }

    /// The refusals in words: «неизвестный бейдж: 1, уже отмечен: 1», or «—».
    public var refusalSummary: String {
        refused.isEmpty ? "—" : refused.sorted { $0.key < $1.key }
            .map { "\(CheckInResult(rawValue: $0.key)?.russianName ?? $0.key): \($0.value)" }.joined(separator: ", ")
    }
}

/// Arrivals in the ten minutes from `start`; `label` is its start in Moscow time («09:10»).
public struct ArrivalBucket: Sendable, Hashable, Codable {
    public var start: Date
    public var label: String
    public var count: Int

    /// Buckets from the first with arrivals to the last, the empty ones between included.
    /// `counts` is keyed by the bucket's number (seconds since 1970 / 600).
    public static func series(_ counts: [Int: Int]) -> [ArrivalBucket] {
        guard let first = counts.keys.min(), let last = counts.keys.max() else { return [] }
        return (first...last).map { number in
            let start = Date(timeIntervalSince1970: Double(number) * ForumStats.bucket)
            return ArrivalBucket(start: start, label: start.formatted(Self.clock), count: counts[number] ?? 0)
        }
    }

    private static let clock = Date.VerbatimFormatStyle(
        format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)", timeZone: Forum.timeZone, calendar: Calendar(identifier: .gregorian)
    )
}

/// Registered and arrived (at the entrance) for a category or a region.
public struct GroupStats: Sendable, Hashable, Codable {
    /// The category's or the region's code.
    public var code: String
    public var name: String
    public var registered: Int
    public var arrived: Int
    /// Arrived / registered, 0…1.
    public var share: Double
    /// Registered, not arrived.
    public var noShows: Int

    public init(code: String, name: String, registered: Int, arrived: Int) {
        self.code = code
        self.name = name
        self.registered = registered
        self.arrived = arrived
        share = registered == 0 ? 0 : Double(arrived) / Double(registered)
        noShows = registered - arrived
    }
}

/// A session's seats, sign-ups and the people in its hall.
public struct SessionStats: Sendable, Hashable, Codable {
    public var slug: String
    public var title: String
    public var start: Date
    /// Seats for sign-up, else the room's capacity; `nil` if neither is known.
    public var seats: Int?
    public var signedUp: Int
    public var waitlisted: Int
    public var checkedIn: Int

    public init(slug: String, title: String, start: Date, seats: Int?, signedUp: Int, waitlisted: Int, checkedIn: Int) {
        self.slug = slug
        self.title = title
        self.start = start
        self.seats = seats
        self.signedUp = signedUp
        self.waitlisted = waitlisted
        self.checkedIn = checkedIn
    }
}

/// One desk as the server has seen it through its scans.
public struct DeskStats: Sendable, Hashable, Codable {
    /// What the desk calls itself, and the name of the token it scans with.
    public var desk: String
    public var token: String?
    public var scans: Int
    public var scansLast10Minutes: Int
    /// Over the last ten minutes.
    public var scansPerMinute: Double
    public var refusals: Int
    /// When its last scan reached the server.
    public var lastSeen: Date
    /// Scans that reached the server from its offline queue, and those of the last ten minutes.
    public var lateUploads: Int
    public var lateUploadsLast10Minutes: Int
    public var state: State

    /// `active`; `late` — its recent scans come from its offline queue (it lost the server);
    /// `quiet` — nothing for five minutes (closed, or offline and not yet back).
    public enum State: String, Sendable, Hashable, Codable {
        case active, late, quiet

        public var russianName: String {
            switch self {
            case .active: "работает"
            case .late: "догружает офлайн-сканы"
            case .quiet: "молчит"
            }
        }
    }

    public init(
        desk: String, token: String?, scans: Int, scansLast10Minutes: Int, refusals: Int, lastSeen: Date, lateUploads: Int, lateUploadsLast10Minutes: Int,
        now: Date
    ) {
        self.desk = desk
        self.token = token
        self.scans = scans
        self.scansLast10Minutes = scansLast10Minutes
        scansPerMinute = Double(scansLast10Minutes) / 10
        self.refusals = refusals
        self.lastSeen = lastSeen
        self.lateUploads = lateUploads
        self.lateUploadsLast10Minutes = lateUploadsLast10Minutes
        state = now.timeIntervalSince(lastSeen) > 300 ? .quiet : lateUploadsLast10Minutes > 0 ? .late : .active
    }
}
