import Foundation

/// One item of the programme: a panel, a round table, a lecture…
public struct Session: Sendable, Hashable, Codable, Identifiable {
    /// Stable forever once published: feeds, calendars and sign-ups key on it.
    public var slug: String
    public var kind: SessionKind
    public var title: String
    public var description: String
    public var track: String?
    /// The room's slug.
    public var room: String
    public var start: Date
    public var end: Date
    /// Seats open to sign-up; `nil` when the session needs none (the room's seats apply).
    public var capacity: Int?
    public var people: [SessionPerson]
    public var status: SessionStatus

    public var id: String { slug }

    /// The session moved to start at `start`, as long as it was.
    public func moved(to start: Date) -> Session {
        var moved = self
        moved.end = start.addingTimeInterval(end.timeIntervalSince(self.start))
        moved.start = start
        return moved
    }

    /// Why a session from `start` to `end` cannot be: it must end after it starts.
    public static func timeProblem(start: Date, end: Date) -> String? {
        end > start ? nil : "окончание должно быть позже начала"
    }

    public init(
        slug: String, kind: SessionKind, title: String, description: String = "", track: String? = nil,
        room: String, start: Date, end: Date, capacity: Int? = nil, people: [SessionPerson] = [],
        status: SessionStatus = .scheduled
    ) {
        self.slug = slug
        self.kind = kind
        self.title = title
        self.description = description
        self.track = track
        self.room = room
        self.start = start
        self.end = end
        self.capacity = capacity
        self.people = people
        self.status = status
    }

    /// Whether the two sessions share some time (back to back does not count).
    public func overlaps(_ other: Session) -> Bool {
        start < other.end && other.start < end
    }

    public var isCancelled: Bool { status == .cancelled }
}

/// What a session is, with the name the programme prints.
public enum SessionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case panel
    case roundTable = "round_table"
    case lecture
    case plenary
    case ceremony
    case presentation
    case other

    public var russianName: String {
        switch self {
        case .panel: "Панельная дискуссия"
        case .roundTable: "Круглый стол"
        case .lecture: "Лекция"
        case .plenary: "Пленарное заседание"
        case .ceremony: "Церемония"
        case .presentation: "Презентация"
        case .other: "Мероприятие"
        }
    }
}

/// Whether a session takes place. A session is never deleted: it is cancelled.
public enum SessionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case scheduled
    case cancelled
}

/// A speaker or moderator as the programme names them: a public name and position, never an
/// attendee's contacts. `email` links them to a registered participant and is not published.
public struct SessionPerson: Sendable, Hashable, Codable {
    public var name: String
    public var position: String?
    public var role: Role
    /// Not a confirmed real person: a stand-in to be replaced before the forum.
    public var placeholder: Bool
    public var email: String?

    public init(name: String, position: String? = nil, role: Role, placeholder: Bool = false, email: String? = nil) {
        self.name = name
        self.position = position
        self.role = role
        self.placeholder = placeholder
        self.email = email
    }

    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case speaker
        case moderator

        public var russianName: String {
            switch self {
            case .speaker: "спикер"
            case .moderator: "модератор"
            }
        }
    }

    /// Who this is, for telling whether two sessions have the same person: the e-mail when there
    /// is one, else the name in search form (case and `ё` aside).
    public var identity: String {
        email.map { "email:" + $0.lowercased() } ?? "name:" + RussianText.searchKey(name)
    }
}
