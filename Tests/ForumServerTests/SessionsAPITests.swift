import ForumDomain
import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct SessionsAPITests {
    let database: ForumDatabase
    let admin: String

    init() async throws {
        database = try ForumDatabase.inMemory()
        admin = try await database.createToken(name: "Штаб", role: .admin).secret
        _ = try await database.register((1...3).map { Sample.details($0) })
        _ = try await database.importProgramme(SampleProgramme.programme([
            SampleProgramme.session("rt", from: "10:00", to: "11:00", capacity: 1,
                                    people: [SessionPerson(name: "Иван Примеров", role: .speaker, email: Sample.details(1).email),
                                             SessionPerson(name: "Анна Заглушкина", role: .moderator, placeholder: true)]),
        ]))
    }

    private func send(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: [String: Any]? = nil) async throws -> (status: HTTPResponse.Status, json: Any?) {
        try await client.execute(uri: uri, method: method, headers: API.headers(admin), body: try body.map(API.json)) { response in
            (response.status, response.body.readableBytes > 0 ? try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) : nil)
        }
    }

    @Test func organisersMoveRenameCancelAndPublish() async throws {
        try await API.withClient(database: database) { client in
            let moved = try await send(client, .patch, "/api/v1/sessions/rt", ["start": "2024-01-15T12:00:00+03:00", "room": "hall-c", "title": "Туризм"])
            #expect(moved.status == .ok)
            let session = try #require(moved.json as? [String: Any])
            #expect(session["room"] as? String == "hall-c" && session["title"] as? String == "Туризм")
            let bad = try await send(client, .patch, "/api/v1/sessions/rt", ["start": "в полдень", "room": "nowhere"])
            #expect(bad.status == .unprocessableContent)
            #expect(try await send(client, .patch, "/api/v1/sessions/zzz", ["title": "x"]).status == .notFound)
            let created = try await send(client, .post, "/api/v1/sessions", [
                "slug": "lecture-new", "kind": "lecture", "title": "Новая лекция", "room": "hall-b",
                "start": "2024-01-15T14:00:00+03:00", "end": "2024-01-15T15:00:00+03:00", "capacity": 40,
            ])
            #expect(created.status == .created)
            #expect(try await send(client, .post, "/api/v1/sessions", ["slug": "lecture-new", "kind": "lecture", "title": "x", "room": "hall-b",
                                                                       "start": "2024-01-15T16:00:00+03:00", "end": "2024-01-15T17:00:00+03:00"]).status == .conflict)
            let release = try await send(client, .post, "/api/v1/programme/releases", ["note": "Первый выпуск"])
            #expect(release.status == .created)
            #expect((release.json as? [String: Any])?["number"] as? Int == 1)
            // A conflict refuses publication, naming the rule.
            _ = try await send(client, .patch, "/api/v1/sessions/lecture-new", ["room": "hall-c", "start": "2024-01-15T12:30:00+03:00"])
            let refused = try await send(client, .post, "/api/v1/programme/releases", ["note": "С конфликтом"])
            #expect(refused.status == .conflict)
            let problem = try #require(refused.json as? [String: Any])
            #expect(problem["type"] as? String == "urn:forumops:problem:schedule-conflict")
            #expect(((problem["errors"] as? [[String: Any]])?.first?["field"] as? String) == "room_double_booked")
        }
    }

    @Test func signUpWaitlistAndWithdrawOverHTTP() async throws {
        try await API.withClient(database: database) { client in
            let first = try await send(client, .post, "/api/v1/sessions/rt/enrollments", ["participantId": 2])
            #expect(first.status == .created && (first.json as? [String: Any])?["state"] as? String == "seated")
            #expect(try await send(client, .post, "/api/v1/sessions/rt/enrollments", ["participantId": 2]).status == .ok)
            let second = try await send(client, .post, "/api/v1/sessions/rt/enrollments", ["participantId": 3])
            #expect((second.json as? [String: Any])?["state"] as? String == "waitlisted")
            let withdrawn = try await send(client, .delete, "/api/v1/sessions/rt/enrollments/2")
            #expect(withdrawn.status == .ok && (withdrawn.json as? [String: Any])?["promoted"] as? Int == 3)
            let list = try #require(try await send(client, .get, "/api/v1/sessions/rt/enrollments").json as? [[String: Any]])
            #expect(list.map { $0["participantId"] as? Int } == [3])
            #expect(try await send(client, .post, "/api/v1/sessions/rt/enrollments", ["participantId": 99]).status == .notFound)
        }
    }

    @Test func speakersAreListedWithTheirRegistrationOrAsUnlinked() async throws {
        try await API.withClient(database: database) { client in
            let all = try #require(try await send(client, .get, "/api/v1/programme/people").json as? [[String: Any]])
            #expect(all.count == 2)
            #expect(all.first { ($0["person"] as? [String: Any])?["name"] as? String == "Иван Примеров" }?["participantId"] as? Int == 1)
            let unlinked = try #require(try await send(client, .get, "/api/v1/programme/people?unlinked=true").json as? [[String: Any]])
            #expect(unlinked.compactMap { ($0["person"] as? [String: Any])?["name"] as? String } == ["Анна Заглушкина"])
        }
    }

    @Test func organisersAddHallsAndChangeTheirSeats() async throws {
        try await API.withClient(database: database) { client in
            #expect(try await send(client, .put, "/api/v1/programme/buildings/p75/rooms/hall-d", ["name": "Зал Г", "capacity": 40]).status == .ok)
            #expect(try await send(client, .put, "/api/v1/programme/buildings/p75/rooms/hall-a", ["name": "Зал А", "capacity": 0]).status == .unprocessableContent)
            #expect(try await send(client, .put, "/api/v1/programme/buildings/p57/rooms/hall-a", ["name": "Зал А", "capacity": 10]).status == .conflict)
            #expect(try await send(client, .put, "/api/v1/programme/buildings/p99/rooms/x", ["name": "X", "capacity": 10]).status == .unprocessableContent)
            let buildings = try #require(try await send(client, .get, "/api/v1/programme/buildings").json as? [[String: Any]])
            #expect((buildings.first?["rooms"] as? [[String: Any]])?.compactMap { $0["slug"] as? String } == ["hall-a", "hall-b", "hall-d"])
            // The session in hall-a keeps its place.
            #expect(try await send(client, .get, "/api/v1/sessions/rt").status == .ok)
        }
    }
}
