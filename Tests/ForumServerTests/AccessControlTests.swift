import ForumDomain
import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Who may call what, checked route by route over every route the router has: a route added
/// later without a line in `Self.access` fails `everyRouteHasItsAccessDeclared`, and every
/// route a desk may call is checked for contacts.
@Suite struct AccessControlTests {
    enum Access {
        /// No token needed.
        case open
        /// Desk and admin tokens.
        case desk
        /// Admin tokens only.
        case admin
        /// Admin and metrics tokens (a Prometheus scraper's).
        case metrics
        /// The dashboard's pages: a session cookie or a kiosk link, never a bearer token
        /// (`DashboardTests` checks them).
        case page
    }

    /// The access table, "METHOD /path" as the router names it.
    static let access: [String: Access] = [
        "GET /healthz": .open,
        "GET /api/v1/openapi.yaml": .open,
        "GET /api/v1/schedule": .open,
        "GET /schedule.json": .open,
        "GET /schedule.xml": .open,
        "GET /schedule.ics": .open,
        "GET /feeds/{token}/schedule.json": .open,
        "GET /feeds/{token}/schedule.ics": .open,
        "GET /api/v1/participants": .desk,
        "GET /api/v1/participants/{id}": .desk,
        "POST /api/v1/participants": .admin,
        "PATCH /api/v1/participants/{id}": .admin,
        "POST /api/v1/participants/{id}/cancel": .admin,
        "POST /api/v1/participants/{id}/reinstate": .admin,
        "GET /api/v1/participants/{id}/qr.svg": .admin,
        "GET /api/v1/participants/{id}/qr.png": .admin,
        "GET /api/v1/participants/{id}/badge.pdf": .admin,
        // And desks whose token was granted reprints (`BadgeRoutesTests`).
        "POST /api/v1/participants/{id}/reprint": .admin,
        "GET /api/v1/participants/{id}/badge.png": .admin,
        "POST /api/v1/checkins": .desk,
        "GET /api/v1/checkins/lists": .desk,
        "GET /api/v1/desk/search": .desk,
        "GET /api/v1/desk/snapshot": .desk,
        "GET /api/v1/checkins": .admin,
        "POST /api/v1/checkins/{id}/annul": .admin,
        "GET /api/v1/stats": .admin,
        "GET /metrics": .metrics,
        "GET /api/v1/reports/arrivals.csv": .admin,
        "GET /dashboard": .page,
        "GET /dashboard/live": .page,
        "GET /dashboard/sign-in": .open,
        "POST /dashboard/sign-in": .page,
        "POST /dashboard/sign-out": .page,
        "GET /dashboard/kiosk/{key}": .page,
        "GET /dashboard/kiosk/{key}/live": .page,
        "GET /dashboard/assets/dashboard.css": .open,
        "GET /dashboard/assets/dashboard.js": .open,
        // The attendee pages: public, or keyed by the personal link (`AttendeePagesTests`).
        "GET /programme": .open,
        "GET /programme/sessions/{slug}": .open,
        "GET /programme/speakers/{id}": .open,
        "GET /programme/assets/attendee.css": .open,
        "GET /my/{token}": .open,
        "POST /my/{token}/sign-up": .open,
        "POST /my/{token}/withdraw": .open,
        "GET /api/v1/reports/sessions.csv": .admin,
        "GET /api/v1/reports/no-shows.csv": .admin,
        "GET /api/v1/sessions": .admin,
        "POST /api/v1/sessions": .admin,
        "GET /api/v1/sessions/{slug}": .admin,
        "PATCH /api/v1/sessions/{slug}": .admin,
        "GET /api/v1/sessions/{slug}/enrollments": .admin,
        "POST /api/v1/sessions/{slug}/enrollments": .admin,
        "DELETE /api/v1/sessions/{slug}/enrollments/{participantId}": .admin,
        "GET /api/v1/programme/people": .admin,
        "GET /api/v1/programme/check": .admin,
        "GET /api/v1/programme/releases": .admin,
        "POST /api/v1/programme/releases": .admin,
        "GET /api/v1/programme/buildings": .admin,
        "PUT /api/v1/programme/buildings/{building}/rooms/{room}": .admin,
    ]

    enum Caller: CaseIterable {
        case anonymous, revoked, desk, metrics, admin
    }

    let database: ForumDatabase
    let secrets: [Caller: String]
    let routes: [(method: HTTPRequest.Method, path: String)]

    init() async throws {
        database = try ForumDatabase.inMemory()
        _ = try await database.register([Sample.details(1), Sample.details(2, lastName: "Ёлкина")])
        _ = try await database.importProgramme(SampleProgramme.programme([SampleProgramme.session("rt", from: "10:00", to: "11:00", capacity: 10)]))
        let revoked = try await database.createToken(name: "Старый", role: .desk)
        _ = try await database.revokeToken(id: revoked.token.id)
        secrets = [
            .revoked: revoked.secret,
            .desk: try await database.createToken(name: "Вход 1", role: .desk).secret,
            .admin: try await database.createToken(name: "Штаб", role: .admin).secret,
            .metrics: try await database.createToken(name: "Prometheus", role: .metrics).secret,
        ]
        routes = buildRouter(settings: ServerSettings(), database: database).routes.map { route in
            let path = "\(route.path)"
            return (route.method, path.hasPrefix("/") ? path : "/" + path)
        }
    }

    @Test func everyRouteHasItsAccessDeclared() {
        #expect(!routes.isEmpty)
        for route in routes {
            #expect(Self.access["\(route.method) \(route.path)"] != nil, "no access declared for \(route.method) \(route.path)")
        }
    }

    @Test func everyRouteAnswersEachCallerAsDeclared() async throws {
        try await API.withClient(database: database) { client in
            for route in routes where Self.access["\(route.method) \(route.path)"] != .page {
                let access = try #require(Self.access["\(route.method) \(route.path)"])
                for caller in Caller.allCases {
                    let status = try await call(route, as: caller, with: client).status
                    let expected: HTTPResponse.Status? = switch (access, caller) {
                    case (.open, _), (.page, _), (.desk, .desk), (.metrics, .metrics), (_, .admin): nil
                    case (_, .anonymous), (_, .revoked): .unauthorized
                    case (.admin, .desk), (.metrics, .desk), (.admin, .metrics), (.desk, .metrics): .forbidden
                    }
                    if let expected {
                        #expect(status == expected, "\(route.method) \(route.path) as \(caller)")
                    } else {
                        #expect(![.unauthorized, .forbidden].contains(status) && status.code < 500, "\(route.method) \(route.path) as \(caller): \(status)")
                    }
                }
            }
        }
    }

    @Test func noAnswerToADeskCarriesContacts() async throws {
        let participants = try await database.participants(matching: ParticipantFilter()).items
        let contacts = participants.flatMap { [$0.details.email] + ($0.details.phone.map { [$0] } ?? []) }
        #expect(contacts.count == 4)
        let showed = try await API.withClient(database: database) { client -> [String] in
            var showed: [String] = []
            for route in routes where Self.access["\(route.method) \(route.path)"] == .desk {
                let response = try await call(route, as: .desk, with: client)
                let body = String(buffer: response.body)
                if body.contains("Ёлкина") { showed.append(route.path) }
                for contact in contacts {
                    #expect(!body.contains(contact), "\(route.method) \(route.path) shows \(contact) to a desk")
                }
                #expect(!body.contains("\"email\"") && !body.contains("\"phone\""))
            }
            return showed
        }
        // The routes that show people to a desk were really looked at.
        #expect(Set(showed).isSuperset(of: ["/api/v1/participants", "/api/v1/participants/{id}", "/api/v1/desk/search", "/api/v1/desk/snapshot"]))
    }

    /// Calls a route with `{id}` = 2 (Ёлкина), an empty JSON object as the body of a write, and
    /// a search that finds her on a listing.
    private func call(
        _ route: (method: HTTPRequest.Method, path: String), as caller: Caller, with client: any TestClientProtocol
    ) async throws -> TestResponse {
        let path = route.path.replacingOccurrences(of: "{id}", with: "2").replacingOccurrences(of: "{participantId}", with: "2")
            .replacingOccurrences(of: "{slug}", with: "rt").replacingOccurrences(of: "{building}", with: "p75")
            .replacingOccurrences(of: "{room}", with: "hall-a")
        let searches = ["/api/v1/participants": "?surname=%D0%81%D0%BB%D0%BA", "/api/v1/desk/search": "?q=%D0%81%D0%BB%D0%BA"]
        let uri = route.method == .get ? path + (searches[route.path] ?? "") : path
        let body = route.method == .get ? nil : ByteBuffer(string: "{}")
        return try await client.execute(uri: uri, method: route.method, headers: API.headers(secrets[caller]), body: body)
    }
}
