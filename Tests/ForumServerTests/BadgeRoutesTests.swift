import Crypto
import ForumCredentials
import ForumDomain
import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite struct BadgeRoutesTests {
    @Test func theQRCodeOfTheCurrentBadgeDecodesAndVerifies() async throws {
        let database = try ForumDatabase.inMemory()
        let admin = try await database.createToken(name: "Штаб", role: .admin).secret
        _ = try await database.register([Sample.details(1), Sample.details(2)])
        _ = try await database.reprintBadge(id: 1)
        _ = try await database.cancelParticipant(id: 2)
        let signer = BadgeSigner(key: Curve25519.Signing.PrivateKey(), edition: try database.editionIdentity())
        let application = try buildApplication(settings: ServerSettings(), database: database, badges: signer, logger: API.quiet)
        try await application.test(.router) { client in
            let png = try await client.execute(uri: "/api/v1/participants/1/qr.png", method: .get, headers: API.headers(admin)) { response throws -> Data in
                #expect(response.status == .ok && response.headers[.contentType] == "image/png")
                return Data(buffer: response.body)
            }
            let decoded = try ExternalTool.run("/usr/bin/zbarimg", ["--quiet", "--raw", try ExternalTool.temporaryFile(png, named: "qr.png")])
            let text = try #require(decoded.output.split(separator: "\n").first.map(String.init))
            #expect(try signer.verifier.credential(text) == BadgeCredential(participantID: 1, serial: 2))
            try await client.execute(uri: "/api/v1/participants/1/qr.svg", method: .get, headers: API.headers(admin)) { response throws in
                #expect(response.headers[.contentType] == "image/svg+xml" && String(buffer: response.body).contains("<svg"))
            }
            try await client.execute(uri: "/api/v1/participants/2/qr.png", method: .get, headers: API.headers(admin)) { response throws in
                #expect(response.status == .conflict)
            }
            let pdf = try await client.execute(uri: "/api/v1/participants/1/badge.pdf", method: .get, headers: API.headers(admin)) { response throws -> Data in
                #expect(response.status == .ok && response.headers[.contentType] == "application/pdf")
                return Data(buffer: response.body)
            }
            #expect(try ExternalTool.run("/usr/bin/pdfinfo", [try ExternalTool.temporaryFile(pdf, named: "badge.pdf")]).output.contains("Pages:           1"))
            try await client.execute(uri: "/api/v1/participants/1/badge.png", method: .get, headers: API.headers(admin)) { response throws in
                #expect(response.headers[.contentType] == "image/png" && response.body.readableBytes > 1000)
            }
        }
        // Without a key the route says how to make one.
        try await API.withClient(database: database) { client in
            try await client.execute(uri: "/api/v1/participants/1/qr.png", method: .get, headers: API.headers(admin)) { response throws in
                #expect(response.status == .conflict)
                #expect(try API.decode(response.body)["type"] as? String == "urn:forumops:problem:no-badge-key")
            }
        }
    }
}
