import Foundation

/// A participant's place in a session that needs sign-up: a seat, or a place in the queue.
public struct Enrollment: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case seated
        /// Waiting for a seat; promoted in order of sign-up when one frees.
        case waitlisted
    }

    public var session: String
    public var participantID: Int64
    public var state: State
    /// 1-based place in the queue while waitlisted.
    public var waitlistPosition: Int?
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case session, participantID = "participantId", state, waitlistPosition, createdAt
    }

    public init(session: String, participantID: Int64, state: State, waitlistPosition: Int? = nil, createdAt: Date) {
        self.session = session
        self.participantID = participantID
        self.state = state
        self.waitlistPosition = waitlistPosition
        self.createdAt = createdAt
    }
}

/// What withdrawing a sign-up did.
public struct Withdrawal: Sendable, Hashable, Codable {
    public var session: String
    public var participantID: Int64
    /// Whoever took the freed seat from the queue.
    public var promoted: Int64?

    enum CodingKeys: String, CodingKey {
        case session, participantID = "participantId", promoted
    }

    public init(session: String, participantID: Int64, promoted: Int64?) {
        self.session = session
        self.participantID = participantID
        self.promoted = promoted
    }
}
