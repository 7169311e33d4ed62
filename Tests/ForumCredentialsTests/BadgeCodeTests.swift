import Crypto
import ForumCredentials
import ForumDomain
import Foundation
import Testing

@Suite struct BadgeCodeTests {
    let key = Curve25519.Signing.PrivateKey()
    let credential = BadgeCredential(participantID: 7_412, serial: 3)
    var signer: BadgeSigner { BadgeSigner(key: key, edition: "3f2a9c0d1e2b4a5c") }

    @Test func aSignedCodeVerifiesWithThePublicKeyAlone() throws {
        let text = try signer.code(for: credential)
        let verifier = signer.verifier
        #expect(try verifier.credential(text) == credential)
        #expect(try verifier.credential(text.lowercased()) == credential)  // Caps Lock
        #expect(try verifier.credential(" \(text)\n") == credential)  // the scanner's Enter
        #expect(text.count == BadgeCode.length)
        #expect(BadgeCode.length == 116)  // «FO» and 114 letters: 71 bytes in base32
        #expect(text.allSatisfy { "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".contains($0) })
    }

    private func refusal(_ text: String, verifier: BadgeVerifier? = nil) -> BadgeCode.Refusal? {
        do {
            _ = try (verifier ?? signer.verifier).credential(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func everyKindOfBadCodeIsRefusedWithItsReason() throws {
        let text = try signer.code(for: credential)
        var tampered = Array(text)
        tampered[10] = tampered[10] == "A" ? "B" : "A"  // the participant id changed
        #expect(refusal(String(tampered)) == .invalidSignature)
        #expect(refusal(String(text.dropLast(8))) == .truncated)
        #expect(refusal(text, verifier: BadgeVerifier(publicKey: Curve25519.Signing.PrivateKey().publicKey, edition: signer.edition)) == .invalidSignature)  // another key
        // The first base32 letter carries the version byte's top five bits: «B» makes version 2 into 10.
        #expect(text.dropFirst(2).first == "A")
        #expect(refusal("FOB" + text.dropFirst(3)) == .unknownVersion(10))
        #expect(refusal("https://example.ru/") == .notABadge)
        #expect(refusal("FO!!!") == .notABadge)
        #expect(refusal("") == .notABadge)
        #expect(refusal(text + String(repeating: "A", count: 1 << 20)) == .notABadge)  // a megabyte: refused before any work
        #expect(BadgeCode.Refusal.invalidSignature.description.contains("подпись"))
    }

    @Test func aKeyReusedForAnotherEditionDoesNotAdmitThisEditionsBadges() throws {
        let thisYear = try signer.code(for: credential)
        let nextYear = BadgeSigner(key: key, edition: "9b8c7d6e5f4a3b2c")
        #expect(throws: BadgeCode.Refusal.invalidSignature) { try nextYear.verifier.credential(thisYear) }
        #expect(try nextYear.verifier.credential(try nextYear.code(for: credential)) == credential)
        #expect(thisYear.count == (try nextYear.code(for: credential)).count)  // the edition is signed, not carried
    }

    @Test func theVerifierTravelsAsOneLineOfText() throws {
        let text = signer.verifier.description
        #expect(text.hasPrefix("3f2a9c0d1e2b4a5c:"))
        #expect(BadgeVerifier(text) == signer.verifier)
        #expect(BadgeVerifier(" \(text)\n") == signer.verifier)
        #expect(BadgeVerifier(String(text.dropFirst(17))) == nil)  // the key without its forum
        #expect(BadgeVerifier("3f2a9c0d1e2b4a5c:not-base64") == nil)
        #expect(BadgeVerifier("\u{1B}[2J:" + signer.verifier.keyText) == nil)
    }
}

@Suite struct BadgeKeysTests {
    private func directory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forumops-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func aKeyIsCreatedOncePrivatelyAndReadBack() throws {
        let path = try directory().appendingPathComponent("forum.key").path
        #expect(throws: BadgeKeys.Problem.missing(path: path)) { try BadgeKeys.load(at: path) }
        let key = try BadgeKeys.create(at: path)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        #expect(throws: BadgeKeys.Problem.exists(path: path)) { try BadgeKeys.create(at: path) }
        #expect(try BadgeKeys.load(at: path).rawRepresentation == key.rawRepresentation)
        #expect(BadgeKeys.defaultPath(besideDatabase: "/srv/forum/forum.sqlite") == "/srv/forum/forum.key")
    }

    @Test func aKeyFileThatIsThereButCannotBeUsedIsAnErrorNamingWhy() throws {
        let folder = try directory()
        let corrupt = folder.appendingPathComponent("corrupt.key").path
        #expect(FileManager.default.createFile(atPath: corrupt, contents: Data("не ключ\n".utf8), attributes: [.posixPermissions: 0o600]))
        #expect(throws: BadgeKeys.Problem.unreadable(path: corrupt, reason: "это не ключ Ed25519 в base64 (файл повреждён?)")) { try BadgeKeys.load(at: corrupt) }

        let exposed = folder.appendingPathComponent("exposed.key").path
        _ = try BadgeKeys.create(at: exposed)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: exposed)
        #expect(throws: BadgeKeys.Problem.exposed(path: exposed, mode: 0o644)) { try BadgeKeys.load(at: exposed) }
        #expect(BadgeKeys.Problem.exposed(path: exposed, mode: 0o644).description.contains("chmod 600"))

        let folderAsKey = folder.path
        #expect(throws: BadgeKeys.Problem.unreadable(path: folderAsKey, reason: "это не обычный файл")) { try BadgeKeys.load(at: folderAsKey) }
    }
}
