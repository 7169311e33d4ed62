import Crypto
import ForumDomain
import Foundation

/// Signs badge codes with the forum's key for one forum edition (the server and the badge
/// commands hold one).
public struct BadgeSigner: Sendable {
    let key: Curve25519.Signing.PrivateKey
    /// The forum edition every code is signed for.
    public let edition: String
    /// What desks verify with (made once: the server verifies with it on every new badge).
    public let verifier: BadgeVerifier

    public init(key: Curve25519.Signing.PrivateKey, edition: String) {
        self.key = key
        self.edition = edition
        verifier = BadgeVerifier(publicKey: key.publicKey, edition: edition)
    }

    /// The signed QR text for `credential`.
    public func code(for credential: BadgeCredential) throws -> String {
        try BadgeCode.encode(credential, edition: edition, signingWith: key)
    }

    /// The signed QR text for the participant's current badge.
    public func code(for participant: Participant) throws -> String {
        try code(for: BadgeCredential(participantID: participant.id, serial: participant.badgeSerial))
    }
}

/// What a desk needs to verify badges, and nothing that signs them: the public key and the
/// forum edition. As text (`forum keys public`, `forum desk --key`) it is
/// `EDITION:BASE64-OF-THE-KEY`.
public struct BadgeVerifier: Sendable, Hashable, CustomStringConvertible {
    public let publicKey: Curve25519.Signing.PublicKey
    public let edition: String

    public init(publicKey: Curve25519.Signing.PublicKey, edition: String) {
        self.publicKey = publicKey
        self.edition = edition
    }

    /// Reads the text form; `nil` if it is not one.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        self.init(edition: String(parts[0]), keyText: String(parts[1]))
    }

    /// The edition and the key's base64 as a snapshot carries them; `nil` if either is not one.
    public init?(edition: String, keyText: String) {
        guard Slug.isValid(edition), let raw = Data(base64Encoded: keyText), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            return nil
        }
        self.init(publicKey: key, edition: edition)
    }

    /// The public key as base64 of its 32 bytes.
    public var keyText: String { publicKey.rawRepresentation.base64EncodedString() }

    public var description: String { edition + ":" + keyText }

    /// The credential in a scanned text.
    public func credential(_ code: String) throws(BadgeCode.Refusal) -> BadgeCredential {
        try BadgeCode.decode(code, edition: edition, verifyingWith: publicKey)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.edition == rhs.edition && lhs.publicKey.rawRepresentation == rhs.publicKey.rawRepresentation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(edition)
        hasher.combine(publicKey.rawRepresentation)
    }
}
