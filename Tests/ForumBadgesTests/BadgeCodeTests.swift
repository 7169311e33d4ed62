import Crypto
import ForumBadges
import ForumDomain
import ForumTestSupport
import Foundation
import Testing

@Suite struct BadgeCodeTests {
    let key = Curve25519.Signing.PrivateKey()
    let credential = BadgeCredential(participantID: 7_412, serial: 3)

    @Test func aSignedCodeVerifiesWithThePublicKeyAlone() throws {
        let text = try BadgeCode.encode(credential, signingWith: key)
        #expect(try BadgeCode.decode(text, verifyingWith: key.publicKey) == credential)
        #expect(try BadgeCode.decode(text.lowercased(), verifyingWith: key.publicKey) == credential)  // Caps Lock
        #expect(try BadgeCode.decode(" \(text)\n", verifyingWith: key.publicKey) == credential)  // the scanner's Enter
        #expect(text.count == 116)  // «FO» and 114 letters: 71 bytes in base32
        #expect(text.allSatisfy { "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".contains($0) })
    }

    @Test func theQRCodeIsVersionSixOrLowerAtLevelM() throws {
        let largest = BadgeCredential(participantID: Int64(UInt32.max), serial: Int(UInt16.max))
        let code = try QRCode(try BadgeCode.encode(largest, signingWith: key))
        #expect(code.version <= 6)
        #expect(code.width == 17 + 4 * code.version)
    }

    private func refusal(_ text: String, key: Curve25519.Signing.PublicKey? = nil) -> BadgeCode.Refusal? {
        do {
            _ = try BadgeCode.decode(text, verifyingWith: key ?? self.key.publicKey)
            return nil
        } catch {
            return error
        }
    }

    @Test func everyKindOfBadCodeIsRefusedWithItsReason() throws {
        let text = try BadgeCode.encode(credential, signingWith: key)
        var tampered = Array(text)
        tampered[10] = tampered[10] == "A" ? "B" : "A"  // the participant id changed
        #expect(refusal(String(tampered)) == .invalidSignature)
        #expect(refusal(String(text.dropLast(8))) == .truncated)
        #expect(refusal(text, key: Curve25519.Signing.PrivateKey().publicKey) == .invalidSignature)  // another forum's key
        // The first base32 letter carries the version byte's top five bits: «B» makes version 1 into 9.
        #expect(text.dropFirst(2).first == "A")
        #expect(refusal("FOB" + text.dropFirst(3)) == .unknownVersion(9))
        #expect(refusal("https://example.ru/") == .notABadge)
        #expect(refusal("FO!!!") == .notABadge)
        #expect(refusal("") == .notABadge)
        #expect(BadgeCode.Refusal.invalidSignature.description.contains("подпись"))
    }

    @Test func aScannerReadsThePNG() throws {
        let text = try BadgeCode.encode(credential, signingWith: key)
        let png = try QRImage.png(try QRCode(text), scale: 6)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let file = try ExternalTool.temporaryFile(png, named: "qr.png")
        // zbarimg from Debian's zbar-tools, installed by the README's commands.
        let decoded = try ExternalTool.run("/usr/bin/zbarimg", ["--quiet", "--raw", file])
        #expect(decoded.status == 0, "\(decoded.errors)")
        #expect(decoded.output.split(separator: "\n").contains(Substring(text)))
        let svg = String(decoding: try QRImage.svg(try QRCode(text)), as: UTF8.self)
        #expect(svg.contains("<svg") && svg.contains("</svg>"))
    }
}

@Suite struct BadgeKeysTests {
    @Test func aKeyIsCreatedOncePrivatelyAndReadBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forumops-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("forum.key").path
        #expect(throws: BadgeKeys.Problem.missing(path: path)) { try BadgeKeys.load(at: path) }
        let key = try BadgeKeys.create(at: path)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        #expect(throws: BadgeKeys.Problem.exists(path: path)) { try BadgeKeys.create(at: path) }
        #expect(try BadgeKeys.load(at: path).rawRepresentation == key.rawRepresentation)
        let published = BadgeKeys.text(of: key.publicKey)
        #expect(BadgeKeys.publicKey(published)?.rawRepresentation == key.publicKey.rawRepresentation)
        #expect(BadgeKeys.defaultPath(besideDatabase: "/srv/forum/forum.sqlite") == "/srv/forum/forum.key")
    }
}
