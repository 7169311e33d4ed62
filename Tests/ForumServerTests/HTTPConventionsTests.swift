import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What HTTP clients, caches and link checkers expect of any server: `HEAD` wherever `GET`, `405`
/// with `Allow` for a method an address does not take, query strings read as forms send them.
@Suite struct HTTPConventionsTests {
    private func forum() async throws -> (database: ForumDatabase, admin: String) {
        let database = try ForumDatabase.inMemory()
        _ = try await database.importProgramme(SampleProgramme.programme([SampleProgramme.session("rt-turizm", from: "10:00", to: "11:30")]))
        _ = try await database.publishProgramme(note: "Первый выпуск")
        return (database, try await database.createToken(name: "Штаб", role: .admin).secret)
    }

    @Test func headAnswersAsGetWithoutTheBody() async throws {
        let (database, _) = try await forum()
        try await API.withClient(database: database) { client in
            let get = try await client.execute(uri: "/schedule.json", method: .get)
            let head = try await client.execute(uri: "/schedule.json", method: .head)
            #expect(get.status == .ok && head.status == .ok)
            #expect(head.body.readableBytes == 0 && get.body.readableBytes > 0)
            #expect(head.headers[.eTag] == get.headers[.eTag] && head.headers[.contentType] == get.headers[.contentType])
            #expect(head.headers[.contentLength] == String(get.body.readableBytes))
        }
    }

    @Test func aMethodTheAddressDoesNotTakeIs405WithAllow() async throws {
        let (database, admin) = try await forum()
        try await API.withClient(database: database) { client in
            for (uri, method, allow) in [
                ("/healthz", HTTPRequest.Method.delete, "GET, HEAD"),
                ("/api/v1/participants", .put, "GET, HEAD, POST"),
                ("/api/v1/participants/7", .post, "GET, HEAD, PATCH"),
                ("/schedule.json", .init("TRACE")!, "GET, HEAD"),
            ] {
                let response = try await client.execute(uri: uri, method: method, headers: API.headers(admin))
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] == allow, "\(method) \(uri)")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                #expect(try API.decode(response.body)["detail"] as? String == "По адресу \(uri) принимаются только \(allow).")
            }
            // An address nobody serves stays 404.
            #expect(try await client.execute(uri: "/api/v2/participants", method: .put).status == .notFound)
        }
    }

    @Test func queryStringsAreReadAsFormsSendThem() async throws {
        let (database, admin) = try await forum()
        try await API.withClient(database: database) { client in
            func get(_ uri: String) async throws -> (HTTPResponse.Status, ByteBuffer) {
                let response = try await client.execute(uri: uri, method: .get, headers: API.headers(admin))
                return (response.status, response.body)
            }
            // `+` is a space, `%2B` a plus: «Почётный гость» either way.
            #expect(try await get("/api/v1/participants?category=%D0%9F%D0%BE%D1%87%D1%91%D1%82%D0%BD%D1%8B%D0%B9+%D0%B3%D0%BE%D1%81%D1%82%D1%8C").0 == .ok)
            #expect(try await get("/api/v1/stats?at=2024-01-15T10:12:00+03:00").0 == .ok)  // the offset typed unencoded
            // Given twice, not a boolean, missing: each a 422 naming the parameter.
            for (uri, field) in [
                ("/api/v1/checkins?limit=1&limit=500", "limit"), ("/api/v1/programme/people?unlinked=80339522", "unlinked"),
                ("/api/v1/desk/search?list=entrance", "q"), ("/api/v1/desk/search?q=", "q"), ("/api/v1/checkins?list=", "list"),
            ] {
                let (status, body) = try await get(uri)
                #expect(status == .unprocessableContent, "\(uri)")
                #expect((try API.decode(body)["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(uri)")
            }
            #expect(try await get("/api/v1/programme/people?unlinked=true").0 == .ok)
        }
    }
}
