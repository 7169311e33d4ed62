import ForumDomain
import Foundation

/// forumops' own schedule JSON (`GET /api/v1/schedule`): the edition, the release and its
/// changelog, rooms and sessions with local times and offsets. Speakers appear by public name
/// and position only; nothing about attendees.
public struct ScheduleDocument: Encodable, Sendable {
    public struct EditionPart: Encodable, Sendable {
        var slug, name, fullName, organiser, venue, city, timeZone: String
        var days: [Day]
        struct Day: Encodable, Sendable {
            var date, opens, closes: String
        }
    }

    public struct ReleasePart: Encodable, Sendable {
        var number: Int
        var note: String
        var publishedAt: String
        var changes: [ProgrammeChange]
    }

    public struct RoomPart: Encodable, Sendable {
        var slug, name, building, buildingName: String
        var capacity: Int
    }

    public struct SessionPart: Encodable, Sendable {
        var slug: String
        var kind: SessionKind
        var kindName: String
        var title: String
        var description: String
        var track: String?
        var start, end: String
        var durationMinutes: Int
        var room: String
        var roomName: String
        /// Seats open to sign-up, if the session needs it.
        var capacity: Int?
        /// Seats still free as of the document's `seatsAsOf`.
        var seatsLeft: Int?
        var status: SessionStatus
        var people: [Person]
        var url: String
    }

    public struct Person: Encodable, Sendable {
        var name: String
        var position: String?
        var role: SessionPerson.Role
        /// A stand-in, not yet a confirmed person: the website may say «уточняется».
        var placeholder: Bool
    }

    public var edition: EditionPart
    public var release: ReleasePart
    /// When the seat counts were taken.
    public var seatsAsOf: String
    public var rooms: [RoomPart]
    public var sessions: [SessionPart]

    public init(_ context: FeedContext, sessions chosen: [Session]? = nil) {
        let edition = context.edition
        self.edition = EditionPart(
            slug: edition.slug, name: edition.name, fullName: edition.fullName, organiser: edition.organiser,
            venue: edition.venue, city: edition.city, timeZone: edition.timeZone,
            days: edition.days.map { .init(date: $0.date, opens: context.dateTime($0.opens), closes: context.dateTime($0.closes)) }
        )
        release = ReleasePart(
            number: context.release.number, note: context.release.note, publishedAt: context.dateTime(context.release.publishedAt),
            changes: context.release.changes
        )
        seatsAsOf = context.dateTime(context.seatsAsOf)
        rooms = context.programme.rooms.map {
            RoomPart(slug: $0.room.slug, name: $0.room.name, building: $0.building.slug, buildingName: $0.building.name, capacity: $0.room.capacity)
        }
        sessions = (chosen ?? context.programme.sessions).sorted { ($0.start, $0.room, $0.slug) < ($1.start, $1.room, $1.slug) }.map { session in
            SessionPart(
                slug: session.slug, kind: session.kind, kindName: session.kind.russianName, title: session.title,
                description: session.description, track: session.track, start: context.dateTime(session.start),
                end: context.dateTime(session.end), durationMinutes: Int(session.end.timeIntervalSince(session.start) / 60),
                room: session.room, roomName: context.roomName(session), capacity: session.capacity,
                seatsLeft: session.capacity.map { max(0, $0 - context.seatsTaken[session.slug, default: 0]) }, status: session.status,
                people: session.people.map { Person(name: $0.name, position: $0.position, role: $0.role, placeholder: $0.placeholder) },
                url: context.url(session)
            )
        }
    }
}
