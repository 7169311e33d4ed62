import Crypto
import ForumCredentials
import ForumDomain
import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
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

    @Test func aDeskReprintsOnlyWhenItsTokenWasGrantedItAndGetsTheNewBadgeToPrint() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register([Sample.details(1), Sample.details(2)])
        _ = try await database.cancelParticipant(id: 2)
        let plainDesk = try await database.createToken(name: "Вход 1", role: .desk).secret
        let reprinting = try await database.createToken(name: "Вход 2", role: .desk, mayReprint: true).secret
        await #expect(throws: ValidationFailure.self) { try await database.createToken(name: "Prometheus", role: .metrics, mayReprint: true) }
        let signer = BadgeSigner(key: Curve25519.Signing.PrivateKey(), edition: try database.editionIdentity())
        let application = try buildApplication(settings: ServerSettings(), database: database, badges: signer, logger: API.quiet)
        try await application.test(.router) { client in
            try await client.execute(uri: "/api/v1/participants/1/reprint", method: .post, headers: API.headers(plainDesk)) { response throws in
                #expect(response.status == .forbidden)
                #expect(try API.decode(response.body)["detail"] as? String ?? "" == "Этой стойке не разрешено перевыпускать бейджи: нужен токен стойки с правом перевыпуска (forum tokens create --role desk --may-reprint) или организатора.")
            }
            #expect(try await database.participant(id: 1).badgeSerial == 1, "a refused reprint changes nothing")
            let pdf = try await client.execute(uri: "/api/v1/participants/1/reprint", method: .post, headers: API.headers(reprinting)) { response throws -> Data in
                #expect(response.status == .ok && response.headers[.contentType] == "application/pdf")
                #expect(response.headers[HTTPField.Name("Badge-Serial")!] == "2")
                return Data(buffer: response.body)
            }
            let page = try ExternalTool.temporaryFile(pdf, named: "reprint.pdf")
            #expect(try ExternalTool.run("/usr/bin/pdftoppm", ["-r", "200", "-png", "-singlefile", page, page]).status == 0)
            let decoded = try ExternalTool.run("/usr/bin/zbarimg", ["--quiet", "--raw", page + ".png"])
            let text = try #require(decoded.output.split(separator: "\n").first.map(String.init))
            #expect(try signer.verifier.credential(text) == BadgeCredential(participantID: 1, serial: 2), "the printed badge is the new one")
            try await client.execute(uri: "/api/v1/participants/2/reprint", method: .post, headers: API.headers(reprinting)) { response throws in
                #expect(response.status == .conflict, "a cancelled registration gets no badge")
            }
        }
        #expect(try await database.participant(id: 2).badgeSerial == 1)
    }
}
