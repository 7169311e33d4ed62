import Crypto
import ForumCredentials
import ForumDomain
import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct CheckInsAPITests {
    let database: ForumDatabase
    let admin: String
    let desk: String
    let signer: BadgeSigner

    init() async throws {
        database = try ForumDatabase.inMemory()
        signer = BadgeSigner(key: Curve25519.Signing.PrivateKey(), edition: try database.editionIdentity())
        admin = try await database.createToken(name: "Штаб", role: .admin).secret
        desk = try await database.createToken(name: "Вход 3", role: .desk).secret
        _ = try await database.register([Sample.details(1, lastName: "Ёлкина"), Sample.details(2, lastName: "Ёжиков")])
        _ = try await database.openCheckInList("entrance", until: Date().addingTimeInterval(3600))
    }

    private func post(_ client: some TestClientProtocol, _ body: [String: Any], token: String? = nil) async throws -> [String: Any] {
        try await client.execute(uri: "/api/v1/checkins", method: .post, headers: API.headers(token ?? desk), body: try API.json(body)) { response throws in
            #expect(response.status == .ok)
            return try API.decode(response.body)
        }
    }

    @Test func aScannedBadgeAnOKAndEveryRefusalAreNormalAnswers() async throws {
        let participant = try await database.participant(id: 1)
        let code = try signer.code(for: participant)
        let application = try buildApplication(settings: ServerSettings(), database: database, badges: signer, logger: API.quiet)
        try await application.test(.router) { client in
            let ok = try await post(client, ["code": code.lowercased(), "list": "entrance", "desk": "Вход 3", "nonce": "d3-1"])
            #expect(ok["result"] as? String == "ok" && ok["message"] as? String == "Проходите")
            let person = try #require(ok["participant"] as? [String: Any])
            #expect(person["fullName"] as? String == "Ёлкина Алёна Петровна" && person["email"] == nil && person["phone"] == nil)
            let again = try await post(client, ["code": code, "list": "entrance", "desk": "Вход 5", "nonce": "d5-1"])
            #expect(again["result"] as? String == "already_checked_in")
            #expect((again["first"] as? [String: Any])?["desk"] as? String == "Вход 3")
            let replay = try await post(client, ["code": code, "list": "entrance", "desk": "Вход 3", "nonce": "d3-1"])
            #expect(replay["result"] as? String == "ok" && replay["replayed"] as? Bool == true)
            var forged = Array(code)
            forged[20] = forged[20] == "A" ? "B" : "A"
            #expect(try await post(client, ["code": String(forged), "list": "entrance", "desk": "Вход 3", "nonce": "d3-2"])["result"] as? String == "invalid_signature")
            let picked = try await post(client, ["participantId": 2, "list": "entrance", "desk": "Вход 3", "nonce": "d3-3", "scannedAt": "2026-11-29T10:00:00+03:00"])
            #expect(picked["result"] as? String == "ok")  // an online scan is judged, and dated, by the server's clock
            #expect(try #require(picked["checkIn"] as? [String: Any])["scannedAt"] as? String != "2026-11-29T07:00:00Z")
            try await client.execute(uri: "/api/v1/checkins", method: .post, headers: API.headers(desk), body: try API.json(["list": "entrance", "desk": "", "nonce": ""])) { response throws in
                #expect(response.status == .unprocessableContent)
            }
            // The desk's lookup by surname, with who is already in.
            try await client.execute(uri: "/api/v1/desk/search?q=%D0%95%D0%9B", method: .get, headers: API.headers(desk)) { response throws in
                let found = try API.decode(response.body)
                let items = try #require(found["items"] as? [[String: Any]])
                #expect(items.count == 1 && items.first?["checkedIn"] != nil && found["total"] as? Int == 1)  // «ЕЛ» finds Ёлкина, not Ёжиков
            }
            // The trail and annulment are the organisers'.
            let trail = try await client.execute(uri: "/api/v1/checkins?participant=1", method: .get, headers: API.headers(admin)) { response throws in
                try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
            }
            #expect(trail.count == 2)  // ok and already_checked_in; the replay added nothing, the forged code names nobody
            #expect(trail.allSatisfy { $0["token"] as? String == "Вход 3" })  // the token that sent each scan
            let okID = try #require(trail.last?["id"] as? Int)
            try await client.execute(uri: "/api/v1/checkins/\(okID)/annul", method: .post, headers: API.headers(admin), body: try API.json(["reason": "ошибка стойки"])) { response throws in
                #expect(response.status == .ok)
                let annulled = try API.decode(response.body)
                #expect(annulled["annulReason"] as? String == "ошибка стойки" && annulled["annulledBy"] as? String == "Штаб")
            }
            #expect(try await post(client, ["code": code, "list": "entrance", "desk": "Вход 3", "nonce": "d3-9"])["result"] as? String == "ok")
        }
    }

    @Test func aDeskGetsItsSnapshotAndThenOnlyWhatChanged() async throws {
        let application = try buildApplication(settings: ServerSettings(), database: database, badges: signer, logger: API.quiet)
        try await application.test(.router) { client in
            func snapshot(_ query: String) async throws -> [String: Any] {
                try await client.execute(uri: "/api/v1/desk/snapshot" + query, method: .get, headers: API.headers(desk)) { response throws in
                    #expect(response.status == .ok)
                    return try API.decode(response.body)
                }
            }
            let full = try await snapshot("?list=entrance")
            #expect(full["publicKey"] as? String == signer.verifier.keyText && full["edition"] as? String == signer.edition)
            let people = try #require(full["people"] as? [[String: Any]])
            #expect(people.map { $0["lastName"] as? String } == ["Ёлкина", "Ёжиков"] && people.allSatisfy { $0["email"] == nil && $0["status"] as? String == "registered" })
            let cursor = try #require(full["cursor"] as? [String: Int])
            #expect((full["checkIns"] as? [Any])?.isEmpty == true)

            // A reprint and a check-in later, the desk hears of those two only.
            _ = try await database.reprintBadge(id: 2)
            _ = try await post(client, ["participantId": 1, "list": "entrance", "desk": "Вход 5", "nonce": "d5-1"])
            let changes = try await snapshot("?people=\(cursor["people"]!)&checkIns=\(cursor["checkIns"]!)")
            let changed = try #require(changes["people"] as? [[String: Any]])
            #expect(changed.count == 1 && changed.first?["badgeSerial"] as? Int == 2)
            let admitted = try #require(changes["checkIns"] as? [[String: Any]])
            #expect(admitted.count == 1 && admitted.first?["participantId"] as? Int == 1 && admitted.first?["desk"] as? String == "Вход 5")
            let next = try #require(changes["cursor"] as? [String: Int])
            #expect((try await snapshot("?people=\(next["people"]!)&checkIns=\(next["checkIns"]!)")["people"] as? [Any])?.isEmpty == true)

            try await client.execute(uri: "/api/v1/desk/snapshot?list=nowhere", method: .get, headers: API.headers(desk)) { response throws in
                #expect(response.status == .notFound && response.headers[.contentType] == "application/problem+json; charset=utf-8")
            }
        }
    }
}
