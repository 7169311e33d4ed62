import Crypto
import ForumDomain

/// Signs badge codes with the forum's key (the server and the badge commands hold one).
public struct BadgeSigner: Sendable {
    let key: Curve25519.Signing.PrivateKey

    public init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
    }

    /// The signer of the key file at `path`.
    public init(keyFile path: String) throws(BadgeKeys.Problem) {
        key = try BadgeKeys.load(at: path)
    }

    /// The signed QR text for the participant's current badge.
    public func code(for participant: Participant) throws -> String {
        try BadgeCode.encode(BadgeCredential(participantID: participant.id, serial: participant.badgeSerial), signingWith: key)
    }

    public var publicKey: Curve25519.Signing.PublicKey { key.publicKey }
}
