import ForumDomain
import Foundation

/// One participant's own schedule (`/feeds/{token}/schedule.json`): the published sessions they
/// hold a seat or queue place in or speak at, in the shape of `ScheduleDocument`, plus `mine`
/// saying how each is theirs.
public struct PersonalSchedule: Encodable, Sendable {
    /// How a session is the participant's.
    public struct Place: Encodable, Sendable, Hashable {
        public enum Kind: String, Encodable, Sendable {
            case seated, waitlisted, speaker, moderator
        }

        public var session: String
        public var kind: Kind
        public var waitlistPosition: Int?

        public init(session: String, kind: Kind, waitlistPosition: Int? = nil) {
            self.session = session
            self.kind = kind
            self.waitlistPosition = waitlistPosition
        }
    }

    public let schedule: ScheduleDocument
    public let mine: [Place]
    /// The sessions of `mine`, as published.
    public let sessions: [Session]

    /// The places of the participant with `email` and these sign-ups in the published release.
    public init(_ context: FeedContext, email: String, enrollments: [Enrollment]) {
        var places = enrollments.map {
            Place(session: $0.session, kind: $0.state == .seated ? .seated : .waitlisted, waitlistPosition: $0.waitlistPosition)
        }
        for session in context.programme.sessions {
            for person in session.people where person.email == email {
                places.append(Place(session: session.slug, kind: person.role == .moderator ? .moderator : .speaker))
            }
        }
        let wanted = Set(places.map(\.session))
        let published = context.programme.sessions.filter { wanted.contains($0.slug) }
        let present = Set(published.map(\.slug))
        sessions = published
        mine = places.filter { present.contains($0.session) }
        schedule = ScheduleDocument(context, sessions: published)
    }

    private enum Keys: String, CodingKey {
        case mine
    }

    public func encode(to encoder: any Encoder) throws {
        try schedule.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(mine, forKey: .mine)
    }
}
