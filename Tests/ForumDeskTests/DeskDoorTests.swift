import Crypto
import ForumAPI
import ForumCredentials
import ForumDesk
import ForumDomain
import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

private let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// The desk against what it may meet at a venue: a server offering another key, answers that
/// are not forumops' own, HTTPS with the venue's own certificate authority.
@Suite struct DeskDoorTests {
    let database: ForumDatabase
    let signer: BadgeSigner

    init() async throws {
        database = try ForumDatabase.inMemory()
        signer = BadgeSigner(key: Curve25519.Signing.PrivateKey(), edition: try database.editionIdentity())
        try await SampleProgramme.doorForum(database)
        _ = try await database.openCheckInList("entrance", until: Date().addingTimeInterval(3600))
    }

    private func snapshot(offering verifier: BadgeVerifier?) async throws -> DeskSnapshot {
        var snapshot = try await database.deskSnapshot(list: "entrance")
        snapshot.publicKey = verifier?.keyText
        snapshot.edition = verifier?.edition
        return snapshot
    }

    @Test func aDeskKeepsTheKeyItPinnedWhateverTheServerOffers() async throws {
        let store = try DeskStore(path: nil)
        let desk = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: "http://127.0.0.1:9", token: "x"))
        try await desk.take(try await snapshot(offering: signer.verifier), whole: true)  // the first key is pinned
        #expect(try store.pinnedKey() == signer.verifier)
        #expect(await desk.keyWarning == nil)
        let code = try signer.code(for: BadgeCredential(participantID: 1, serial: 1))

        try await desk.take(try await snapshot(offering: nil), whole: true)  // a server without its key
        #expect(await desk.keyWarning?.contains("не дал ключа") == true)
        #expect(await desk.decideHere(code: code, participantID: nil).result == .ok)

        let impostor = BadgeSigner(key: Curve25519.Signing.PrivateKey(), edition: signer.edition)
        try await desk.take(try await snapshot(offering: impostor.verifier), whole: true)  // someone else's key
        #expect(await desk.keyWarning?.contains("ДРУГОЙ ключ") == true)
        #expect(try store.pinnedKey() == signer.verifier)
        #expect(await desk.decideHere(code: try impostor.code(for: BadgeCredential(participantID: 2, serial: 1)), participantID: nil).result == .invalidSignature)
        #expect(await desk.decideHere(code: try signer.code(for: BadgeCredential(participantID: 2, serial: 1)), participantID: nil).result == .ok)

        try await desk.take(try await snapshot(offering: signer.verifier), whole: true)
        #expect(await desk.keyWarning == nil)
        // `--key` must be the pinned key, never a replacement.
        #expect(throws: DeskError.otherKey(path: ":memory:")) {
            try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: "http://127.0.0.1:9", token: "x"), key: impostor.verifier)
        }
    }

    @Test func aDeskWithoutAnyKeySaysItCannotCheckBadges() async throws {
        let desk = try Desk(list: "entrance", name: "Вход 3", store: try DeskStore(path: nil), server: try DeskServer(url: "http://127.0.0.1:9", token: "x"))
        try await desk.take(try await snapshot(offering: nil), whole: true)
        #expect(await desk.decideHere(code: try signer.code(for: BadgeCredential(participantID: 1, serial: 1)), participantID: nil).result == .cannotVerify)
        #expect(await desk.decideHere(code: nil, participantID: 1).result == .ok)  // a person picked by the volunteer
    }

    /// Serves the real forum, and another server with what a venue may put in between.
    private func live(_ body: @Sendable (_ url: String, _ other: String, _ token: String) async throws -> Void) async throws {
        let token = try await database.createToken(name: "Вход 3", role: .desk).secret
        let forum = try buildApplication(settings: ServerSettings(port: 0), database: database, badges: signer, logger: quiet)
        let router = Router()
        let answers: [(String, HTTPResponse.Status, String, String)] = [
            ("proxy-400", .badRequest, "text/plain", "Bad Request"),
            ("wrong-404", .notFound, "text/html", "<html><body>nginx: 404 Not Found</body></html>"),
            ("gateway-502", .badGateway, "text/html", "<html>502</html>"),
            ("gateway-503", .serviceUnavailable, "application/json", "{\"error\":\"maintenance\"}"),
            ("gateway-504", .gatewayTimeout, "text/html", ""),
            ("garbage-200", .ok, "application/json", "{\"hello\":1}"),
            ("json-422", .unprocessableContent, "application/problem+json", "{\"type\":\"about:blank\",\"title\":\"nope\",\"status\":422}"),
        ]
        for (path, status, type, text) in answers {
            router.post("\(path)/api/v1/checkins") { _, _ in
                Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }
        let other = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: quiet)
        try await forum.test(.live) { forumClient in
            try await other.test(.live) { otherClient in
                try await body("http://127.0.0.1:\(try #require(forumClient.port))", "http://127.0.0.1:\(try #require(otherClient.port))", token)
            }
        }
    }

    @Test func aScanLeavesTheQueueOnlyWhenForumopsItselfAnswersIt() async throws {
        try await live { url, other, token in
            let store = try DeskStore(path: nil)
            let first = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: url, token: token, timeout: .seconds(5)))
            try await first.start(path: "desk.sqlite")
            let offline = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: "http://127.0.0.1:9", token: token))
            let scan = await offline.checkIn(code: try signer.code(for: BadgeCredential(participantID: 1, serial: 1)))
            #expect(scan.offline && scan.result == .ok)
            for server in ["proxy-400", "wrong-404", "gateway-502", "gateway-503", "gateway-504", "garbage-200", "json-422"].map({ other + "/" + $0 }) + [url + "/wrong-base"] {
                let between = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: server, token: token, timeout: .seconds(5)))
                await between.synchronise()
                let scans = try store.scans()
                #expect(try store.waiting().map(\.nonce) == [scan.nonce], "\(server) dropped the scan: \(scans)")
                let trouble = await between.trouble
                #expect(trouble?.contains("сканы ждут") == true, "\(server): \(trouble ?? "no reason on screen")")
            }
            let back = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: url, token: token, timeout: .seconds(5)))
            await back.synchronise()
            #expect(try store.waiting().isEmpty)
            #expect(try await database.checkIns(list: "entrance").filter { $0.nonce == scan.nonce }.count == 1)
            // A refusal forumops wrote itself (an unknown list) does leave the queue, with its reason.
            let gone = try Desk(list: "gone", name: "Вход 3", store: try DeskStore(path: nil), server: try DeskServer(url: url, token: token, timeout: .seconds(5)))
            await #expect(throws: DeskError.self) { try await gone.start(path: "gone.sqlite") }
        }
    }

    @Test func theDeskSearchesTheLiveServerByItsQuery() async throws {
        _ = try await database.register([Sample.details(21, lastName: "Ёжикова"), Sample.details(22, lastName: "Ежов"), Sample.details(23, lastName: "Ёжиков")])
        try await live { url, _, token in
            let desk = try Desk(list: "entrance", name: "Вход 3", store: try DeskStore(path: nil), server: try DeskServer(url: url, token: token, timeout: .seconds(5)))
            try await desk.start(path: "desk.sqlite")
            let found = await desk.search("ЁЖ", limit: 1)
            #expect(!found.offline)
            #expect(found.found.map(\.person.lastName) == ["Ёжиков"])  // the first in surname order
            #expect(found.total == 3)  // Ёжиков, Ёжикова, Ежов: ё and е alike, case aside
            let none = await desk.search("Щ")
            #expect(!none.offline && none.found.isEmpty && none.total == 0)
        }
    }

    @Test func overHTTPSADeskTrustsTheVenuesAuthorityAndNoOtherCertificate() async throws {
        let certificates = try VenueCertificates()
        var settings = ServerSettings(port: 0)
        settings.tls = try ServerSettings.tls(certificate: certificates.certificate, key: certificates.key)
        let token = try await database.createToken(name: "Вход 3", role: .desk).secret
        let application = try buildApplication(settings: settings, database: database, badges: signer, logger: quiet)
        try await application.test(.live) { client in
            let url = "https://127.0.0.1:\(try #require(client.port))"
            let store = try DeskStore(path: nil)
            let trusting = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: url, token: token, timeout: .seconds(5), ca: certificates.authority))
            try await trusting.start(path: "desk.sqlite")
            let online = await trusting.checkIn(code: try signer.code(for: BadgeCredential(participantID: 1, serial: 1)))
            #expect(online.result == .ok && !online.offline)
            #expect(try store.pinnedKey() == signer.verifier)
            // The same desk without the server decides by its copy.
            let cut = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: "https://127.0.0.1:9", token: token, ca: certificates.authority))
            let offline = await cut.checkIn(code: try signer.code(for: BadgeCredential(participantID: 2, serial: 1)))
            #expect(offline.result == .ok && offline.offline)
            await trusting.synchronise()
            #expect(try store.waiting().isEmpty)

            let untrusting = try Desk(list: "entrance", name: "Вход 3", store: try DeskStore(path: nil), server: try DeskServer(url: url, token: token, timeout: .seconds(5)))
            let refusal = await #expect(throws: DeskError.self) { try await untrusting.start(path: "desk.sqlite") }
            #expect(refusal?.description.contains("сертификат") == true, "\(refusal?.description ?? "")")
        }
        #expect(throws: DeskError.self) { try DeskServer(url: "http://10.0.0.2:8080", token: "x") }
        #expect(throws: Never.self) { try DeskServer(url: "http://10.0.0.2:8080", token: "x", insecureHTTP: true) }
        #expect(throws: DeskError.self) { try DeskServer(url: "https://127.0.0.1:1", token: "x", ca: "/nonexistent.pem") }
    }

    @Test func aServerThatStoppedIsNoticedAtOnceNotAfterTheTimeout() async throws {
        let store = try DeskStore(path: nil)
        let desk = try Desk(list: "entrance", name: "Вход 3", store: store, server: try DeskServer(url: "http://127.0.0.1:\(try LocalSocket.freePort())", token: "x", timeout: .seconds(10)))
        try await desk.take(try await snapshot(offering: signer.verifier), whole: true)
        for id: Int64 in 1...2 {
            let started = ContinuousClock.now
            let answer = await desk.checkIn(code: try signer.code(for: BadgeCredential(participantID: id, serial: 1)))
            #expect(answer.offline && answer.result == .ok)
            // Far below the ten seconds the desk would wait for a server that does not answer (slack for a loaded machine).
            #expect(ContinuousClock.now - started < .seconds(4), "scan \(id) waited for a refused connection")
        }
    }

    @Test func theServersAnswerIsTheWireTypeByteForByte() throws {
        let person = DoorPerson(
            id: 7, lastName: "Ёлкина", firstName: "Алёна", patronymic: "Петровна", category: .press, regionCode: "16",
            municipality: "Город Казань", position: "Корреспондент «Вестника»", status: .registered, badgeSerial: 2
        )
        let record = CheckInRecord(
            id: 12, list: "entrance", participantID: 7, desk: "Вход 3", nonce: "n/1", scannedAt: Date(timeIntervalSince1970: 1_705_300_000),
            recordedAt: Date(timeIntervalSince1970: 1_705_300_001), result: .alreadyCheckedIn, source: "offline", token: "Вход 3 (ноутбук)"
        )
        var first = record
        first.id = 3
        first.result = .ok
        for (participant, earlier, replayed) in [(person, first, true), (nil, nil, false)] as [(DoorPerson?, CheckInRecord?, Bool)] {
            let whole = ScanAnswer(result: record.result, checkIn: record, participant: participant, first: earlier, replayed: replayed)
            let spliced = ScanAnswer.json(
                result: record.result, checkIn: try APIJSON.encoder.encode(record), participant: try participant.map { try APIJSON.encoder.encode($0) },
                first: try earlier.map { try APIJSON.encoder.encode($0) }, replayed: replayed
            )
            #expect(spliced == (try APIJSON.encoder.encode(whole)))
            #expect(try APIJSON.decoder.decode(ScanAnswer.self, from: spliced) == whole)
        }
    }
}
