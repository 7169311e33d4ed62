import Crypto
import ForumDomain
import Foundation

/// The text of a badge's QR code: `FO` and, in base32, a version byte, the participant id
/// (4 bytes), the badge serial (2 bytes) and an Ed25519 signature over them and the forum
/// edition's identity (64 bytes) — 116 characters of the QR alphanumeric set, so the code stays
/// at version 6 or lower at level M, and letters may arrive in either case (a scanner typing
/// with Caps Lock on). The edition is signed but not carried: a key reused for another forum
/// does not admit this one's badges.
public enum BadgeCode {
    static let prefix = "FO"
    static let version: UInt8 = 2
    static let bodyLength = 7
    static let signatureLength = 64

    /// The length of every valid code, whitespace aside: anything longer is refused before any
    /// signature work.
    public static let length = prefix.count + (8 * (bodyLength + signatureLength) + 4) / 5

    /// Why a scanned text is not a valid badge.
    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not forumops' format at all (another QR code, a mistyped text, far too long a text).
        case notABadge
        /// Shorter or longer than a badge: part of it was lost.
        case truncated
        /// A newer or older format this build does not read.
        case unknownVersion(Int)
        /// Altered, or signed with another forum's key or for another edition.
        case invalidSignature

        public var description: String {
            switch self {
            case .notABadge: "это не бейдж форума"
            case .truncated: "код бейджа прочитан не полностью"
            case .unknownVersion(let version): "неизвестная версия кода бейджа (\(version))"
            case .invalidSignature: "подпись бейджа неверна: бейдж изменён или выдан не этим форумом"
            }
        }
    }

    /// The signed text for `credential` of the forum edition `edition`.
    public static func encode(_ credential: BadgeCredential, edition: String, signingWith key: Curve25519.Signing.PrivateKey) throws -> String {
        let body = payload(credential)
        let signature = try key.signature(for: context(edition) + body)
        return prefix + Base32.encode(body + Array(signature))
    }

    /// The credential a scanned text carries, verified with the forum's public key alone.
    public static func decode(_ text: String, edition: String, verifyingWith key: Curve25519.Signing.PublicKey) throws(Refusal) -> BadgeCredential {
        // A bound before any other work: a scanner's Enter and spaces, never a megabyte.
        guard text.utf8.count <= length + 16 else { throw .notABadge }
        let cleaned = canonical(text)
        guard cleaned.hasPrefix(prefix), let bytes = Base32.decode(String(cleaned.dropFirst(prefix.count))), !bytes.isEmpty else {
            throw .notABadge
        }
        guard bytes[0] == version else { throw .unknownVersion(Int(bytes[0])) }
        guard bytes.count == bodyLength + signatureLength else { throw .truncated }
        let body = Array(bytes[0..<bodyLength])
        guard key.isValidSignature(Array(bytes[bodyLength...]), for: context(edition) + body) else { throw .invalidSignature }
        let id = body[1...4].reduce(0) { $0 << 8 | Int64($1) }
        let serial = body[5...6].reduce(0) { $0 << 8 | Int($1) }
        return BadgeCredential(participantID: id, serial: serial)
    }

    /// The text as it was signed: a scanner's whitespace trimmed, letters in upper case.
    public static func canonical(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }

    private static func context(_ edition: String) -> [UInt8] {
        Array("forumops badge v\(version) \(edition) ".utf8)
    }

    private static func payload(_ credential: BadgeCredential) -> [UInt8] {
        let id = UInt32(truncatingIfNeeded: credential.participantID)
        let serial = UInt16(truncatingIfNeeded: credential.serial)
        return [version, UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF), UInt8(serial >> 8), UInt8(serial & 0xFF)]
    }
}

/// RFC 4648 base32 without padding; decoding ignores case.
enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: output, as: UTF8.self)
    }

    /// `nil` for a character outside the alphabet.
    static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer = 0, bits = 0
        for character in text.uppercased().utf8 {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5 | value) & 0xFFFF
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return output
    }
}
