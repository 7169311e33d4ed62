import Foundation

/// One forum edition's programme as the organisers build it: the edition, its buildings and
/// rooms, the walking times between buildings and the sessions. A draft until published as a
/// `ProgrammeRelease`.
public struct Programme: Sendable, Hashable, Codable {
    public var edition: Edition
    public var buildings: [Building]
    public var walking: [WalkingTime]
    public var sessions: [Session]

    public init(edition: Edition, buildings: [Building] = [], walking: [WalkingTime] = [], sessions: [Session] = []) {
        self.edition = edition
        self.buildings = buildings
        self.walking = walking
        self.sessions = sessions
    }

    /// Every room with the building it is in.
    public var rooms: [(room: Room, building: Building)] {
        buildings.flatMap { building in building.rooms.map { ($0, building) } }
    }

    /// Why `session` cannot stand in this programme as placed: its hall must be described and it
    /// must end after it starts.
    public func placementProblems(of session: Session) -> [FieldError] {
        var problems: [FieldError] = []
        if room(session.room) == nil { problems.append(FieldError(field: "room", message: "зал «\(session.room)» не описан в программе")) }
        if let problem = Session.timeProblem(start: session.start, end: session.end) { problems.append(FieldError(field: "end", message: problem)) }
        return problems
    }

    public func room(_ slug: String) -> (room: Room, building: Building)? {
        rooms.first { $0.room.slug == slug }
    }

    public func session(_ slug: String) -> Session? {
        sessions.first { $0.slug == slug }
    }

    /// Minutes on foot between two buildings: 0 within one, `nil` when the file does not say.
    public func walkingMinutes(from first: String, to second: String) -> Int? {
        guard first != second else { return 0 }
        return walking.first { Set([$0.from, $0.to]) == Set([first, second]) }?.minutes
    }
}

/// The forum edition: what the programme file says of the forum itself. It is the one source of
/// the forum's name, dates, venue and time zone.
public struct Edition: Sendable, Hashable, Codable {
    public var slug: String
    /// «Малая Родина — сила России».
    public var name: String
    /// «Всероссийский муниципальный форум «Малая Родина — сила России»».
    public var fullName: String
    public var organiser: String
    public var venue: String
    public var city: String
    /// An IANA identifier: `Europe/Moscow`.
    public var timeZone: String
    /// The forum's days and the hours sessions may run on each, in order.
    public var days: [Day]

    public init(
        slug: String, name: String, fullName: String, organiser: String, venue: String, city: String,
        timeZone: String = "Europe/Moscow", days: [Day]
    ) {
        self.slug = slug
        self.name = name
        self.fullName = fullName
        self.organiser = organiser
        self.venue = venue
        self.city = city
        self.timeZone = timeZone
        self.days = days
    }

    /// One day of the forum: sessions run from `opens` to `closes`.
    public struct Day: Sendable, Hashable, Codable {
        /// `2024-01-15`, in the forum's time zone.
        public var date: String
        public var opens: Date
        public var closes: Date

        public init(date: String, opens: Date, closes: Date) {
            self.date = date
            self.opens = opens
            self.closes = closes
        }
    }

    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? Forum.timeZone }
}

/// A building of the venue (a pavilion of VDNKh) and its rooms.
public struct Building: Sendable, Hashable, Codable {
    public var slug: String
    public var name: String
    public var rooms: [Room]

    public init(slug: String, name: String, rooms: [Room]) {
        self.slug = slug
        self.name = name
        self.rooms = rooms
    }
}

/// A hall where sessions take place; `capacity` is its number of seats.
public struct Room: Sendable, Hashable, Codable {
    public var slug: String
    public var name: String
    public var capacity: Int

    public init(slug: String, name: String, capacity: Int) {
        self.slug = slug
        self.name = name
        self.capacity = capacity
    }
}

/// Minutes on foot between two buildings, either way.
public struct WalkingTime: Sendable, Hashable, Codable {
    public var from: String
    public var to: String
    public var minutes: Int

    public init(from: String, to: String, minutes: Int) {
        self.from = from
        self.to = to
        self.minutes = minutes
    }
}
