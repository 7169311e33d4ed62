import ForumDomain
import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@Suite struct ParticipantsAPITests: Sendable {
    let database: ForumDatabase
    let admin: String
    let desk: String

    init() async throws {
        database = try ForumDatabase.inMemory()
        admin = try await database.createToken(name: "Штаб", role: .admin).secret
        desk = try await database.createToken(name: "Вход 1", role: .desk).secret
    }

    private func withClient(maxBodyBytes: Int = 1 << 20, _ test: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await API.withClient(database: database, maxBodyBytes: maxBodyBytes, test)
    }

    private func headers(_ token: String?) -> HTTPFields { API.headers(token) }
    private func json(_ object: [String: Any]) throws -> ByteBuffer { try API.json(object) }
    private func decode(_ buffer: ByteBuffer) throws -> [String: Any] { try API.decode(buffer) }

    private static var person: [String: Any] { [
        "lastName": "Ёлкина", "firstName": "Алёна", "patronymic": "Сергеевна", "email": "Elkina@Mail.ru",
        "phone": "8 912 345-67-89", "regionCode": "Татарстан", "municipality": "Город Казань", "category": "Спикер",
    ] }

    @Test func healthNeedsNoToken() async throws {
        try await withClient { client in
            try await client.execute(uri: "/healthz", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(try decode(response.body)["forum"] as? String == Forum.name)
            }
        }
    }

    @Test func missingOrUnknownTokenIs401AsProblem() async throws {
        try await withClient { client in
            for token in [nil, "fo_unknown"] {
                try await client.execute(uri: "/api/v1/participants", method: .get, headers: headers(token)) { response throws in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.contentType] == "application/problem+json; charset=utf-8")
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    let problem = try decode(response.body)
                    #expect(problem["type"] as? String == "urn:forumops:problem:unauthorized")
                    #expect(problem["status"] as? Int == 401)
                    #expect((problem["title"] as? String)?.isEmpty == false)
                    #expect((problem["detail"] as? String)?.isEmpty == false)
                }
            }
        }
    }

    @Test func revokedTokenIs401() async throws {
        let tokens = try await database.tokens()
        _ = try await database.revokeToken(id: tokens[1].id)
        try await withClient { client in
            try await client.execute(uri: "/api/v1/participants", method: .get, headers: headers(desk)) { response throws in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func deskTokenMayReadButNotWrite() async throws {
        try await withClient { client in
            try await client.execute(uri: "/api/v1/participants", method: .get, headers: headers(desk)) { response throws in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/v1/participants", method: .post, headers: headers(desk), body: try json(Self.person)) { response throws in
                #expect(response.status == .forbidden)
                #expect(try decode(response.body)["type"] as? String == "urn:forumops:problem:forbidden")
            }
            #expect(try await database.participants(matching: ParticipantFilter()).total == 0)
        }
    }

    @Test func registerThenTheSameEmailUpdates() async throws {
        try await withClient { client in
            let id = try await client.execute(uri: "/api/v1/participants", method: .post, headers: headers(admin), body: try json(Self.person)) { response throws in
                #expect(response.status == .created)
                let body = try decode(response.body)
                #expect(body["result"] as? String == "created")
                let participant = try #require(body["participant"] as? [String: Any])
                #expect(participant["email"] as? String == "elkina@mail.ru")
                #expect(participant["regionCode"] as? String == "16")
                #expect(participant["regionName"] as? String == "Республика Татарстан")
                #expect(participant["phone"] as? String == "+79123456789")
                #expect(participant["category"] as? String == "speaker")
                #expect(participant["feedToken"] == nil)
                #expect(response.headers[.location] == "/api/v1/participants/\(try #require(participant["id"] as? Int))")
                return try #require(participant["id"] as? Int)
            }
            var changed = ["email": "elkina@mail.ru", "lastName": "Ёлкина", "firstName": "Алёна", "regionCode": "16", "municipality": "Город Казань"]
            changed["position"] = "Глава"
            try await client.execute(uri: "/api/v1/participants", method: .post, headers: headers(admin), body: try json(changed)) { response throws in
                #expect(response.status == .ok)
                let body = try decode(response.body)
                #expect(body["result"] as? String == "updated")
                #expect((try #require(body["participant"] as? [String: Any]))["id"] as? Int == id)
            }
            try await client.execute(uri: "/api/v1/participants/\(id)", method: .get, headers: headers(desk)) { response throws in
                let participant = try decode(response.body)
                #expect(participant["position"] as? String == "Глава")
                #expect(participant["category"] as? String == "speaker")  // not sent, so kept
                #expect(participant["patronymic"] as? String == "Сергеевна")
                #expect(participant["email"] == nil && participant["phone"] == nil)
            }
            try await client.execute(uri: "/api/v1/participants/\(id)", method: .get, headers: headers(admin)) { response throws in
                #expect(try decode(response.body)["email"] as? String == "elkina@mail.ru")
            }
        }
    }

    @Test func invalidRegistrationListsEveryField() async throws {
        try await withClient { client in
            let bad: [String: Any] = ["lastName": "Иванов1", "email": "нет", "regionCode": "99"]
            try await client.execute(uri: "/api/v1/participants", method: .post, headers: headers(admin), body: try json(bad)) { response throws in
                #expect(response.status == .unprocessableContent)
                let problem = try decode(response.body)
                #expect(problem["type"] as? String == "urn:forumops:problem:validation")
                let fields = (try #require(problem["errors"] as? [[String: Any]])).compactMap { $0["field"] as? String }
                #expect(Set(fields) == ["lastName", "firstName", "email", "regionCode", "municipality"])
            }
        }
    }

    @Test func malformedAndOversizedBodies() async throws {
        try await withClient(maxBodyBytes: 2_000) { client in
            try await client.execute(uri: "/api/v1/participants", method: .post, headers: headers(admin), body: ByteBuffer(string: "{\"lastName\": ")) { response throws in
                #expect(response.status == .badRequest)
                #expect(try decode(response.body)["type"] as? String == "urn:forumops:problem:malformed-body")
            }
            try await client.execute(uri: "/api/v1/participants", method: .post, headers: headers(admin), body: ByteBuffer(string: "{\"lastName\": 5}")) { response throws in
                #expect(response.status == .badRequest)
                #expect(try decode(response.body)["detail"] as? String == "поле «lastName»: значение неверного типа")
            }
            var huge = Self.person
            huge["organisation"] = String(repeating: "я", count: 3_000)
            try await client.execute(uri: "/api/v1/participants", method: .post, headers: headers(admin), body: try json(huge)) { response throws in
                #expect(response.status == .contentTooLarge)
                #expect(response.headers[.contentType] == "application/problem+json; charset=utf-8")
            }
        }
    }

    @Test func searchAndPagination() async throws {
        _ = try await database.register((1...30).map { Sample.details($0, lastName: $0 % 3 == 0 ? "Фёдоров" : "Смирнов") })
        try await withClient { client in
            let query = "surname=\("ФЕДОР".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)&perPage=4&page=2"
            try await client.execute(uri: "/api/v1/participants?\(query)", method: .get, headers: headers(desk)) { response throws in
                #expect(response.status == .ok)
                let page = try decode(response.body)
                #expect(page["total"] as? Int == 10)
                #expect(page["page"] as? Int == 2)
                #expect(page["perPage"] as? Int == 4)
                let items = try #require(page["items"] as? [[String: Any]])
                #expect(items.count == 4)
                #expect(items.allSatisfy { $0["lastName"] as? String == "Фёдоров" })
            }
            try await client.execute(uri: "/api/v1/participants?page=0&perPage=5000&category=зритель", method: .get, headers: headers(desk)) { response throws in
                #expect(response.status == .unprocessableContent)
                let fields = (try #require(try decode(response.body)["errors"] as? [[String: Any]])).compactMap { $0["field"] as? String }
                #expect(fields == ["category"])
            }
            try await client.execute(uri: "/api/v1/participants?perPage=5000", method: .get, headers: headers(desk)) { response throws in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/v1/participants?page=9223372036854775807", method: .get, headers: headers(desk)) { response throws in
                #expect(response.status == .unprocessableContent)
            }
            // Desks search names, not e-mail addresses.
            for (token, found) in [(desk, 0), (admin, 1)] {
                try await client.execute(uri: "/api/v1/participants?q=person30", method: .get, headers: headers(token)) { response throws in
                    #expect(try decode(response.body)["total"] as? Int == found)
                }
            }
        }
    }

    @Test func patchAndCancel() async throws {
        _ = try await database.register([Sample.details(1), Sample.details(2)])
        try await withClient { client in
            try await client.execute(uri: "/api/v1/participants/1", method: .patch, headers: headers(admin), body: try json(["position": "Мэр"])) { response throws in
                #expect(response.status == .ok)
                #expect(try decode(response.body)["position"] as? String == "Мэр")
            }
            try await client.execute(uri: "/api/v1/participants/1", method: .patch, headers: headers(admin), body: try json(["email": Sample.details(2).email])) { response throws in
                #expect(response.status == .conflict)
                #expect(try decode(response.body)["type"] as? String == "urn:forumops:problem:conflict")
            }
            try await client.execute(uri: "/api/v1/participants/1/cancel", method: .post, headers: headers(admin)) { response throws in
                #expect(response.status == .ok)
                #expect(try decode(response.body)["status"] as? String == "cancelled")
            }
            try await client.execute(uri: "/api/v1/participants/1/cancel", method: .post, headers: headers(desk)) { response throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/participants/1/reinstate", method: .post, headers: headers(admin)) { response throws in
                #expect(response.status == .ok)
                #expect(try decode(response.body)["status"] as? String == "registered")
            }
            for uri in ["/api/v1/participants/999", "/api/v1/participants/abc", "/api/v1/nothing"] {
                try await client.execute(uri: uri, method: .get, headers: headers(admin)) { response throws in
                    #expect(response.status == .notFound)
                    #expect(response.headers[.contentType] == "application/problem+json; charset=utf-8")
                }
            }
        }
    }
}

@Suite struct OpenAPIDocumentTests {
    /// Path → methods, read from the YAML's `paths:` block by indentation.
    private func documentedRoutes() -> [String: Set<String>] {
        let text = String(decoding: OpenAPIDocument.yaml, as: UTF8.self)
        var routes: [String: Set<String>] = [:]
        var inPaths = false
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if !line.hasPrefix(" ") { inPaths = line == "paths:"; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                current = String(line.dropFirst(2).dropLast())
                routes[String(line.dropFirst(2).dropLast())] = []
            } else if let path = current, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                routes[path, default: []].insert(line.trimmingCharacters(in: .whitespaces).dropLast().uppercased())
            }
        }
        return routes
    }

    @Test func everyServedRouteIsDocumentedAndNothingElse() throws {
        let router = buildRouter(settings: ServerSettings(), database: try ForumDatabase.inMemory())
        var served: [String: Set<String>] = [:]
        for route in router.routes {
            served["\(route.path)".hasPrefix("/") ? "\(route.path)" : "/\(route.path)", default: []].insert(route.method.rawValue)
        }
        let documented = documentedRoutes().mapValues { $0.subtracting(["PARAMETERS"]) }
        #expect(served == documented)
    }

    @Test func documentIsServed() async throws {
        let application = try buildApplication(settings: ServerSettings(), database: try ForumDatabase.inMemory())
        try await application.test(.router) { client in
            try await client.execute(uri: "/api/v1/openapi.yaml", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).hasPrefix("openapi: 3.1.0"))
            }
        }
    }
}

/// Collects log records to check what the server writes.
final class LogRecorder: Sendable {
    private let records = Mutex<[String]>([])

    var lines: [String] { records.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(recorder: self) }
    }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let line = "\(event.message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            recorder.records.withLock { $0.append(line) }
        }
    }
}

@Suite struct AccessLogTests {
    @Test func logsRouteStatusAndTokenButNoPersonalData() async throws {
        let database = try ForumDatabase.inMemory()
        let (token, secret) = try await database.createToken(name: "Штаб", role: .admin)
        let (desk, deskSecret) = try await database.createToken(name: "Вход 1", role: .desk)
        _ = try await database.register([Sample.details(1, lastName: "Ёлкина")])
        let recorder = LogRecorder()
        let application = try buildApplication(settings: ServerSettings(), database: database, logger: recorder.logger)
        try await application.test(.router) { client in
            let query = "surname=\("Ёлкина".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)"
            try await client.execute(uri: "/api/v1/participants?\(query)", method: .get, headers: [.authorization: "Bearer \(secret)"]) { response throws in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/v1/participants/1/cancel", method: .post, headers: [.authorization: "Bearer \(deskSecret)"]) { response throws in
                #expect(response.status == .forbidden)
            }
        }
        let access = try #require(recorder.lines.first { $0.hasPrefix("request ") })
        #expect(access.contains("route=/api/v1/participants"))
        #expect(access.contains("status=200"))
        #expect(access.contains("token=\(token.id)"))
        let refused = try #require(recorder.lines.last { $0.hasPrefix("request ") })
        #expect(refused.contains("status=403") && refused.contains("token=\(desk.id)"))
        let everything = recorder.lines.joined(separator: "\n")
        for secretOrPersonal in ["Ёлкина", "%D0", "person1", secret, deskSecret] {
            #expect(!everything.contains(secretOrPersonal))
        }
    }
}
