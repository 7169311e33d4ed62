import Crypto
import ForumCredentials
import ForumDomain
@testable import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Logging
import Testing

@Suite struct BadgeCodeBookTests {
    let key = Curve25519.Signing.PrivateKey()
    var signer: BadgeSigner { BadgeSigner(key: key, edition: "3f2a9c0d1e2b4a5c") }

    @Test func theFillerSignsEveryRegisteredParticipantsCurrentCode() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register([Sample.details(1), Sample.details(2), Sample.details(3)])
        _ = try await database.reprintBadge(id: 1)
        _ = try await database.cancelParticipant(id: 3)
        let book = BadgeCodeBook(signer: signer)
        #expect(try await BadgeCodeBookFiller(book: book, database: database, logger: API.quiet).fill() == 2)
        #expect(book.count == 2)
        // Known codes are the ones the badges carry; the cancelled person's is not signed ahead.
        #expect(book.credential(try signer.code(for: BadgeCredential(participantID: 1, serial: 2))) == BadgeCredential(participantID: 1, serial: 2))
        #expect(book.credential(try signer.code(for: BadgeCredential(participantID: 2, serial: 1))) == BadgeCredential(participantID: 2, serial: 1))
        #expect(book.count == 2)
    }

    @Test func aCodeNotSignedAheadIsVerifiedOnceAndKeptInItsCanonicalText() throws {
        let book = BadgeCodeBook(signer: signer)
        let old = BadgeCredential(participantID: 7, serial: 1)
        let code = try signer.code(for: old)
        // A scanner with Caps Lock off and an Enter: the same badge, kept once.
        #expect(book.credential(code.lowercased() + "\r\n") == old)
        #expect(book.credential(code) == old)
        #expect(book.credential(" " + code.lowercased()) == old)
        #expect(book.count == 1)
    }

    @Test func forgedForeignAndOverlongCodesAreRefusedAndNeverKept() throws {
        let book = BadgeCodeBook(signer: signer)
        let genuine = try signer.code(for: BadgeCredential(participantID: 5, serial: 1))
        var forged = Array(genuine)
        forged[20] = forged[20] == "A" ? "B" : "A"
        let foreign = try BadgeSigner(key: Curve25519.Signing.PrivateKey(), edition: signer.edition).code(for: BadgeCredential(participantID: 5, serial: 1))
        let otherEdition = try BadgeSigner(key: key, edition: "0000000000000000").code(for: BadgeCredential(participantID: 5, serial: 1))
        for code in [String(forged), foreign, otherEdition, genuine + String(repeating: " ", count: 17), "FO", "", "ABC"] {
            #expect(book.credential(code) == nil, "\(code.prefix(30))")
        }
        #expect(book.count == 0)
    }
}
