import Crypto
import ForumAPI
import ForumCredentials
import ForumDomain
import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The door tried as an attacker with a desk token would: text that paints screens, inputs
/// without bounds, a backdated trail, a server without its key.
@Suite struct DoorSafetyTests {
    let database: ForumDatabase
    let admin: String
    let desk: String
    let key = Curve25519.Signing.PrivateKey()
    let signer: BadgeSigner

    init() async throws {
        database = try ForumDatabase.inMemory()
        admin = try await database.createToken(name: "Штаб", role: .admin).secret
        desk = try await database.createToken(name: "Вход 3 (ноутбук 7)", role: .desk).secret
        signer = BadgeSigner(key: key, edition: try database.editionIdentity())
        _ = try await database.register([Sample.details(1, lastName: "Ёлкина"), Sample.details(2, lastName: "Ёжиков")])
        _ = try await database.openCheckInList("entrance", until: Date().addingTimeInterval(3600))
    }

    private func post(_ client: some TestClientProtocol, _ body: [String: Any], to uri: String = "/api/v1/checkins", token: String? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: uri, method: .post, headers: API.headers(token ?? desk), body: try API.json(body)) { response throws in
            (response.status, try API.decode(response.body))
        }
    }

    private func fields(_ problem: [String: Any]) -> [String] {
        (problem["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    static let paint = "Глава \u{1B}[2J\u{1B}[H\u{1B}[42m ПРОХОДИТЕ \u{1B}[0m"

    @Test func textThatPaintsScreensIsRefusedWithItsFieldNamed() async throws {
        try await API.withClient(database: database) { client in
            var form = Sample.form(9)
            form[.position] = Self.paint
            let (status, problem) = try await post(client, try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(form)) as? [String: Any]), to: "/api/v1/participants", token: admin)
            #expect(status == .unprocessableContent && fields(problem) == ["position"])
            #expect((problem["detail"] as? String)?.contains("U+001B (ESC)") == true)
            form[.position] = "Глава"
            form[.lastName] = "Ёлкин\u{202E}анв"  // a right-to-left override reorders what the volunteer reads
            #expect(fields(try await post(client, try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(form)) as? [String: Any]), to: "/api/v1/participants", token: admin).1) == ["lastName"])
            let painted = try await post(client, ["participantId": 1, "list": "entrance", "desk": "Вход\u{1B}[2J", "nonce": "n-1"])
            #expect(painted.0 == .unprocessableContent && fields(painted.1) == ["desk"])
        }
        #expect(try await database.participants(matching: ParticipantFilter()).total == 2)  // nothing was registered
    }

    @Test func everyInputOfTheDoorHasABound() async throws {
        let application = try buildApplication(settings: ServerSettings(), database: database, badges: signer, logger: API.quiet)
        try await application.test(.router) { client in
            // A megabyte of code: a normal refusal, no signature work, nothing remembered.
            let huge = try await post(client, ["code": "FO" + String(repeating: "A", count: 1 << 19), "list": "entrance", "desk": "Вход 3", "nonce": "n-huge"])
            #expect(huge.0 == .unprocessableContent && fields(huge.1) == ["code"])
            let long = try await post(client, ["code": "FO" + String(repeating: "A", count: 300), "list": "entrance", "desk": "Вход 3", "nonce": "n-long"])
            #expect(long.0 == .ok && long.1["result"] as? String == "invalid_signature")
            let desk101 = try await post(client, ["participantId": 1, "list": "entrance", "desk": String(repeating: "В", count: 101), "nonce": "n-2"])
            #expect(desk101.0 == .unprocessableContent && fields(desk101.1) == ["desk"])
            let nonce101 = try await post(client, ["participantId": 1, "list": "entrance", "desk": "Вход 3", "nonce": String(repeating: "n", count: 101)])
            #expect(nonce101.0 == .unprocessableContent && fields(nonce101.1) == ["nonce"])
            let list = try await post(client, ["participantId": 1, "list": "entrance; drop", "desk": "Вход 3", "nonce": "n-3"])
            #expect(list.0 == .unprocessableContent && fields(list.1) == ["list"])
            // Query values that do not parse are named, not ignored.
            for (uri, parameter) in [
                ("/api/v1/checkins?participant=x", "participant"), ("/api/v1/checkins?limit=0", "limit"), ("/api/v1/checkins?list=%1B", "list"),
                ("/api/v1/desk/search?q=\(String(repeating: "a", count: 101))", "q"), ("/api/v1/desk/search?q=a&limit=abc", "limit"),
                ("/api/v1/desk/snapshot?people=-1", "people"),
            ] {
                try await client.execute(uri: uri, method: .get, headers: API.headers(admin)) { response throws in
                    #expect(response.status == .unprocessableContent, "\(uri)")
                    #expect(fields(try API.decode(response.body)) == [parameter], "\(uri)")
                }
            }
        }
    }

    @Test func anOfflineScanFromTooLongAgoIsJudgedAtUploadAndFlagged() async throws {
        let application = try buildApplication(settings: ServerSettings(), database: database, badges: signer, logger: API.quiet)
        let code = try signer.code(for: try await database.participant(id: 1))
        try await application.test(.router) { client in
            // Three days back, when the list was closed: the desk's word is not taken.
            let threeDaysAgo = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3 * 86_400))
            let backdated = try await post(client, ["code": code, "list": "entrance", "desk": "Вход 3", "nonce": "n-old", "scannedAt": threeDaysAgo, "offline": true])
            #expect(backdated.1["result"] as? String == "ok")  // judged now: the list is open now
            let record = try #require(backdated.1["checkIn"] as? [String: Any])
            #expect(record["claimedScannedAt"] as? String == threeDaysAgo && record["scannedAt"] as? String != threeDaysAgo)
            #expect(record["token"] as? String == "Вход 3 (ноутбук 7)")
            // An hour ago is believed: the list, opened by hand until an hour from now, admitted then too.
            let hourAgo = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600))
            let recent = try await post(client, ["participantId": 2, "list": "entrance", "desk": "Вход 3", "nonce": "n-recent", "scannedAt": hourAgo, "offline": true])
            let kept = try #require(recent.1["checkIn"] as? [String: Any])
            #expect(kept["scannedAt"] as? String == hourAgo && kept["claimedScannedAt"] == nil)
        }
    }

    @Test func withoutAKeyAScanSaysTheServerCannotCheckBadgesNeverThatTheBadgeIsForged() async throws {
        let code = try signer.code(for: try await database.participant(id: 1))
        let application = try buildApplication(settings: ServerSettings(), database: database, badges: nil, logger: API.quiet)
        try await application.test(.router) { client in
            let answer = try await post(client, ["code": code, "list": "entrance", "desk": "Вход 3", "nonce": "n-1"])
            #expect(answer.1["result"] as? String == "cannot_verify")
            #expect((answer.1["message"] as? String)?.contains("нет ключа") == true)
            try await client.execute(uri: "/healthz", method: .get) { response throws in
                let health = try API.decode(response.body)
                #expect(health["badgeKey"] as? String == "missing" && (health["warnings"] as? [String])?.first?.contains("forum keys init") == true)
            }
            // A person picked at the desk needs no key.
            #expect(try await post(client, ["participantId": 2, "list": "entrance", "desk": "Вход 3", "nonce": "n-2"]).1["result"] as? String == "ok")
        }
    }

    @Test func aBadgeSignedForAnotherEditionIsRefused() async throws {
        let sameKeyNextYear = BadgeSigner(key: key, edition: "0000000000000000")
        let application = try buildApplication(settings: ServerSettings(), database: database, badges: signer, logger: API.quiet)
        let code = try sameKeyNextYear.code(for: try await database.participant(id: 1))
        try await application.test(.router) { client in
            let answer = try await post(client, ["code": code, "list": "entrance", "desk": "Вход 3", "nonce": "n-1"])
            #expect(answer.1["result"] as? String == "invalid_signature")
        }
    }
}
