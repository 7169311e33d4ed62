import Foundation

/// A problem the conflict check found: which rule, how bad, which sessions, in words.
public struct ScheduleProblem: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable {
        /// Publication is refused.
        case error
        /// Worth a look; publication goes ahead.
        case warning
    }

    public enum Rule: String, Sendable, Hashable, Codable, CaseIterable {
        /// Two sessions in one room at once.
        case roomDoubleBooked = "room_double_booked"
        /// A speaker or moderator in two overlapping sessions.
        case personDoubleBooked = "person_double_booked"
        /// Too little time to walk from one building to the next session's.
        case walkingTime = "walking_time"
        /// A session outside the forum's days or hours.
        case outsideForumHours = "outside_forum_hours"
        /// A session that offers more seats than its room has.
        case capacityAboveRoom = "capacity_above_room"
        /// A cancelled session that still holds sign-ups.
        case cancelledWithEnrolments = "cancelled_with_enrolments"

        public var severity: Severity {
            switch self {
            case .roomDoubleBooked, .personDoubleBooked, .outsideForumHours: .error
            case .walkingTime, .capacityAboveRoom, .cancelledWithEnrolments: .warning
            }
        }
    }

    public var rule: Rule
    public var severity: Severity
    /// The sessions concerned, by slug: one or two.
    public var sessions: [String]
    public var message: String

    public init(_ rule: Rule, sessions: [String], message: String) {
        self.rule = rule
        severity = rule.severity
        self.sessions = sessions
        self.message = message
    }
}

/// The programme's conflict checks. Cancelled sessions take part only in the sign-up rule.
public struct ScheduleCheck {
    public let programme: Programme
    /// Seats taken and waiting, by session slug.
    public let enrolments: [String: Int]

    public init(_ programme: Programme, enrolments: [String: Int] = [:]) {
        self.programme = programme
        self.enrolments = enrolments
    }

    /// Every problem, errors first, then by the sessions' order in the programme.
    public func problems() -> [ScheduleProblem] {
        let live = programme.sessions.filter { !$0.isCancelled }
        var problems: [ScheduleProblem] = []
        for (index, first) in live.enumerated() {
            problems += hours(first) + capacity(first)
            for second in live[(index + 1)...] {
                problems += pair(first, second)
            }
        }
        for session in programme.sessions where session.isCancelled && enrolments[session.slug, default: 0] > 0 {
            problems.append(ScheduleProblem(
                .cancelledWithEnrolments, sessions: [session.slug],
                message: "«\(session.title)» отменена, но на неё записано \(enrolments[session.slug]!) чел."
            ))
        }
        return problems.enumerated()
            .sorted { ($0.element.severity == .error ? 0 : 1, $0.offset) < ($1.element.severity == .error ? 0 : 1, $1.offset) }
            .map(\.element)
    }

    private func hours(_ session: Session) -> [ScheduleProblem] {
        guard !programme.edition.days.contains(where: { $0.opens <= session.start && session.end <= $0.closes }) else { return [] }
        let days = programme.edition.days.map { "\(format(date: $0.opens)) \(format(time: $0.opens))–\(format(time: $0.closes))" }
        return [ScheduleProblem(
            .outsideForumHours, sessions: [session.slug],
            message: "«\(session.title)» (\(span(session))) вне дней и часов форума: \(days.joined(separator: ", "))"
        )]
    }

    private func capacity(_ session: Session) -> [ScheduleProblem] {
        guard let seats = session.capacity, let room = programme.room(session.room)?.room, seats > room.capacity else { return [] }
        return [ScheduleProblem(
            .capacityAboveRoom, sessions: [session.slug],
            message: "на «\(session.title)» открыто \(seats) мест, а в зале «\(room.name)» их \(room.capacity)"
        )]
    }

    private func pair(_ first: Session, _ second: Session) -> [ScheduleProblem] {
        var problems: [ScheduleProblem] = []
        let both = [first.slug, second.slug]
        if first.overlaps(second) && first.room == second.room {
            problems.append(ScheduleProblem(
                .roomDoubleBooked, sessions: both,
                message: "«\(first.title)» (\(span(first))) и «\(second.title)» (\(span(second))) в одном зале «\(roomName(first.room))» одновременно"
            ))
        }
        let secondPeople = Dictionary(second.people.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
        for person in first.people {
            guard secondPeople[person.identity] != nil else { continue }
            if first.overlaps(second) {
                problems.append(ScheduleProblem(
                    .personDoubleBooked, sessions: both,
                    message: "\(person.name) участвует одновременно в «\(first.title)» (\(span(first))) и «\(second.title)» (\(span(second)))"
                ))
            } else if let walk = walkingShortfall(first, second) {
                problems.append(ScheduleProblem(
                    .walkingTime, sessions: both,
                    message: "\(person.name): между «\(walk.earlier.title)» (до \(format(time: walk.earlier.end))) и «\(walk.later.title)» (с \(format(time: walk.later.start))) \(walk.gap) мин, а идти от «\(walk.from)» до «\(walk.to)» \(walk.minutes) мин"
                ))
            }
        }
        return problems
    }

    /// When the gap between two sessions in different buildings is shorter than the walk.
    private func walkingShortfall(_ first: Session, _ second: Session) -> (earlier: Session, later: Session, gap: Int, minutes: Int, from: String, to: String)? {
        let (earlier, later) = first.start <= second.start ? (first, second) : (second, first)
        guard let from = programme.room(earlier.room)?.building, let to = programme.room(later.room)?.building,
              let minutes = programme.walkingMinutes(from: from.slug, to: to.slug), minutes > 0
        else { return nil }
        let gap = Int(later.start.timeIntervalSince(earlier.end) / 60)
        return gap < minutes ? (earlier, later, gap, minutes, from.name, to.name) : nil
    }

    private func roomName(_ slug: String) -> String {
        programme.room(slug)?.room.name ?? slug
    }

    private func span(_ session: Session) -> String {
        "\(format(date: session.start)) \(format(time: session.start))–\(format(time: session.end))"
    }

    private func format(time date: Date) -> String {
        ForumTime(programme.edition.zone).time(date)
    }

    private func format(date: Date) -> String {
        ForumTime(programme.edition.zone).day(date)
    }
}
