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
