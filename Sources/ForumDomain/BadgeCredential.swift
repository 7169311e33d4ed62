/// What a badge's QR code says: whose badge it is and which printing. A reprint raises the
/// serial, and an older badge is then refused as `revoked`.
public struct BadgeCredential: Sendable, Hashable, Codable {
    public var participantID: Int64
    public var serial: Int

    public init(participantID: Int64, serial: Int) {
        self.participantID = participantID
        self.serial = serial
    }
}

/// What a verified badge means now, before any check-in rule: the registration it names, if it
/// still stands, and whether this is its latest printing.
public enum BadgeStanding: String, Sendable, Hashable, Codable {
    /// The current badge of a registered participant.
    case valid
    /// An older printing: the badge was reprinted («Бейдж заменён — выдан новый»).
    case revoked
    /// The registration was cancelled.
    case cancelled
    /// No such participant (a badge of another forum edition or a deleted test record).
    case unknown

    /// The standing of `credential` given the participant it names (`nil` if there is none).
    public init(_ credential: BadgeCredential, participant: (any BadgeHolder)?) {
        guard let participant, participant.id == credential.participantID else {
            self = .unknown
            return
        }
        if participant.status == .cancelled {
            self = .cancelled
        } else {
            self = credential.serial == participant.badgeSerial ? .valid : .revoked
        }
    }
}
