import Crypto
import ForumDomain
import Foundation

/// What every published format needs besides the release: where the forum is served from, and
/// the stable identifiers and local times derived from the programme.
public struct FeedContext: Sendable {
    public let release: ProgrammeRelease
    /// `https://forum.example.ru`, without a trailing slash: feeds carry absolute links.
    public let baseURL: String
    /// Seats taken by session slug, as of `seatsAsOf`.
    public let seatsTaken: [String: Int]
    public let seatsAsOf: Date
    let time: ForumTime
    private let isoWithOffset: Date.ISO8601FormatStyle

    public init(release: ProgrammeRelease, baseURL: String, seatsTaken: [String: Int] = [:], seatsAsOf: Date? = nil) {
        self.release = release
        self.seatsTaken = seatsTaken
        self.seatsAsOf = seatsAsOf ?? release.publishedAt
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        time = ForumTime(release.programme.edition.zone)
        var style = Date.ISO8601FormatStyle(timeZone: release.programme.edition.zone)
        style = style.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .colon)
        isoWithOffset = style
    }

    var programme: Programme { release.programme }
    var edition: Edition { programme.edition }

    /// The sessions that are on, in time and then room order.
    var liveSessions: [Session] {
        programme.sessions.filter { !$0.isCancelled }.sorted { ($0.start, $0.room, $0.slug) < ($1.start, $1.room, $1.slug) }
    }

    /// `2024-01-15T10:00:00+03:00`.
    func dateTime(_ date: Date) -> String {
        date.formatted(isoWithOffset)
    }

    /// `01:30`: hours and minutes, as frab writes durations.
    func duration(_ session: Session) -> String {
        let minutes = Int(session.end.timeIntervalSince(session.start) / 60)
        return String(minutes / 60).leftPadded(to: 2) + ":" + String(minutes % 60).leftPadded(to: 2)
    }

    /// The edition's slug in frab's acronym alphabet: `malaya_rodina_2024`.
    var acronym: String {
        edition.slug.replacingOccurrences(of: "-", with: "_")
    }

    /// A person's stable id in this edition (their speaker page's address): it names neither
    /// their e-mail nor anything else of them.
    public func personID(_ person: SessionPerson) -> String {
        guid("person/" + person.identity).uuidString.lowercased()
    }

    /// A stable UUID (version 5, SHA-1) for a name within this edition: a session's guid never
    /// changes, so apps keep their favourites and alarms across releases.
    func guid(_ name: String) -> UUID {
        var digest = Array(Insecure.SHA1.hash(data: Array(Self.namespace) + Array("\(edition.slug)/\(name)".utf8)).prefix(16))
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        return UUID(uuid: (digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
                           digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]))
    }

    /// frab's integer id: the first 24 bits of the guid (stable; unique among a forum's sessions).
    func numericID(_ session: Session) -> Int {
        let bytes = guid(session.slug).uuid
        return (Int(bytes.0) << 16 | Int(bytes.1) << 8 | Int(bytes.2)) + 1
    }

    /// The namespace of forumops' UUIDs (the URL namespace of RFC 4122).
    private static let namespace: [UInt8] = [0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8]

    /// Where a session is described: the schedule with the session's anchor.
    func url(_ session: Session) -> String {
        baseURL + "/api/v1/schedule#" + session.slug
    }

    func roomName(_ session: Session) -> String {
        programme.room(session.room).map { "\($0.room.name), \($0.building.name)" } ?? session.room
    }
}
