import ForumDomain
import ForumServer
import ForumStore
import ForumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct DashboardTests {
    let database: ForumDatabase
    let admin: String
    let desk: String

    init() async throws {
        database = try ForumDatabase.inMemory()
        try await SampleProgramme.statsForum(database)
        admin = try await database.createToken(name: "Штаб", role: .admin).secret
        desk = try await database.createToken(name: "Вход 1", role: .desk).secret
    }

    static let headers: [String: String] = [
        "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
    ]

    private func expectSecurityHeaders(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        for (name, value) in Self.headers {
            #expect(response.headers[HTTPField.Name(name)!] == value, "\(name)", sourceLocation: sourceLocation)
        }
    }

    private func signIn(_ client: any TestClientProtocol, token: String) async throws -> TestResponse {
        let body = "token=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token)
        return try await client.execute(uri: "/dashboard/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    /// The session cookie a sign-in set, as a request header value.
    private func cookie(_ response: TestResponse) throws -> String {
        try #require(response.headers[.setCookie]?.split(separator: ";").first.map(String.init))
    }

    @Test func withoutASessionItIsTheSignInPage() async throws {
        try await API.withClient(database: database) { client in
            let page = try await client.execute(uri: "/dashboard", method: .get)
            #expect(page.status == .seeOther && page.headers[.location] == "/dashboard/sign-in")
            expectSecurityHeaders(page)
            let signIn = try await client.execute(uri: "/dashboard/sign-in", method: .get)
            #expect(signIn.status == .ok && String(buffer: signIn.body).contains(#"<form method="post" action="/dashboard/sign-in">"#))
            expectSecurityHeaders(signIn)
            #expect(try await client.execute(uri: "/dashboard/live", method: .get).status == .unauthorized)
        }
    }

    @Test func onlyAnAdminTokenSignsInAndTheCookieIsStrict() async throws {
        try await API.withClient(database: database) { client in
            let unknown = try await signIn(client, token: "fo_nobody")
            #expect(unknown.status == .unauthorized && unknown.headers[.setCookie] == nil)
            let byDesk = try await signIn(client, token: desk)
            #expect(byDesk.status == .forbidden && byDesk.headers[.setCookie] == nil)
            #expect(String(buffer: byDesk.body).contains("только токен организатора"))
            let signedIn = try await signIn(client, token: admin)
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/dashboard")
            let setCookie = try #require(signedIn.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/dashboard"))
            #expect(!setCookie.contains("Secure"))  // no TLS here
        }
    }

    @Test func overTLSTheCookieIsSecure() async throws {
        let certificates = try VenueCertificates()
        var settings = ServerSettings()
        settings.tls = try ServerSettings.tls(certificate: certificates.certificate, key: certificates.key)
        let application = try buildApplication(settings: settings, database: database, logger: API.quiet)
        try await application.test(.router) { client in
            let signedIn = try await signIn(client, token: admin)
            #expect(try #require(signedIn.headers[.setCookie]).contains("Secure"))
        }
    }

    @Test func aSignedInOrganiserSeesTheFiguresTheAPIGives() async throws {
        let stats = try await database.stats()
        try await API.withClient(database: database) { client in
            let session = try cookie(try await signIn(client, token: admin))
            let page = try await client.execute(uri: "/dashboard", method: .get, headers: [.cookie: session])
            #expect(page.status == .ok && page.headers[.contentType] == "text/html; charset=utf-8")
            expectSecurityHeaders(page)
            let html = String(buffer: page.body)
            #expect(html.contains(#"<span class="number" id="registered">\#(stats.registered)</span>"#))
            #expect(html.contains(#"<span class="number" id="arrived">\#(stats.registered - stats.noShows)</span>"#))
            #expect(html.contains(#"<span class="number" id="no-shows">\#(stats.noShows)</span>"#))
            #expect(html.contains("<svg class=\"chart\"") && html.contains("Республика Татарстан"))
            #expect(!html.contains("<script>") && !html.contains(" style=") && !html.contains("http://") && !html.contains("https://"))  // nothing inline, nothing from outside
            let live = try await client.execute(uri: "/dashboard/live", method: .get, headers: [.cookie: session])
            #expect(live.status == .ok && String(buffer: live.body).hasPrefix(#"<div class="figures""#))
            let script = try await client.execute(uri: "/dashboard/assets/dashboard.js", method: .get)
            #expect(script.status == .ok && script.headers[.contentType] == "text/javascript; charset=utf-8")
            expectSecurityHeaders(script)
        }
    }

    @Test func signingOutOrRevokingTheTokenEndsTheSession() async throws {
        try await API.withClient(database: database) { client in
            let session = try cookie(try await signIn(client, token: admin))
            let out = try await client.execute(uri: "/dashboard/sign-out", method: .post, headers: [.cookie: session])
            #expect(out.status == .seeOther && out.headers[.location] == "/dashboard/sign-in")
            #expect(try await client.execute(uri: "/dashboard", method: .get, headers: [.cookie: session]).status == .seeOther)

            let (token, secret) = try await database.createToken(name: "Заместитель", role: .admin)
            let second = try cookie(try await signIn(client, token: secret))
            #expect(try await client.execute(uri: "/dashboard", method: .get, headers: [.cookie: second]).status == .ok)
            _ = try await database.revokeToken(id: token.id)
            #expect(try await client.execute(uri: "/dashboard", method: .get, headers: [.cookie: second]).status == .seeOther)
        }
    }

    @Test func aKioskLinkShowsTheFiguresReadOnlyUntilItExpiresOrIsRevoked() async throws {
        let (link, key) = try await database.createKioskLink(name: "Экран в холле", hours: 12)
        let (_, oldKey) = try await database.createKioskLink(name: "Вчерашний экран", hours: 1, at: Date().addingTimeInterval(-7200))
        try await API.withClient(database: database) { client in
            let page = try await client.execute(uri: "/dashboard/kiosk/\(key)", method: .get)
            #expect(page.status == .ok)
            expectSecurityHeaders(page)
            let html = String(buffer: page.body)
            #expect(html.contains(#"<body class="kiosk">"#) && html.contains("Экран «Экран в холле» — только просмотр"))
            #expect(!html.contains("sign-out") && html.contains(#"data-live="/dashboard/kiosk/\#(key)/live""#))
            #expect(try await client.execute(uri: "/dashboard/kiosk/\(key)/live", method: .get).status == .ok)
            // The link opens the figures and nothing else.
            #expect(try await client.execute(uri: "/dashboard", method: .get).status == .seeOther)
            #expect(try await client.execute(uri: "/api/v1/stats", method: .get).status == .unauthorized)

            #expect(try await client.execute(uri: "/dashboard/kiosk/\(oldKey)", method: .get).status == .gone)
            #expect(try await client.execute(uri: "/dashboard/kiosk/fo_guess", method: .get).status == .notFound)
            _ = try await database.revokeKioskLink(id: link.id)
            let revoked = try await client.execute(uri: "/dashboard/kiosk/\(key)/live", method: .get)
            #expect(revoked.status == .gone && String(buffer: revoked.body).contains("Ссылка не действует"))
        }
    }

    @Test func textFromTheDatabaseCannotActOnThePage() async throws {
        let hostile = "<script>alert(1)</script>\u{1B}[2J"
        _ = try await database.checkIn(CheckInRequest(credential: nil, participantID: 5, list: "entrance", desk: hostile, nonce: "x-1"), at: Date())
        try await API.withClient(database: database) { client in
            let session = try cookie(try await signIn(client, token: admin))
            let html = String(buffer: try await client.execute(uri: "/dashboard", method: .get, headers: [.cookie: session]).body)
            #expect(!html.contains("<script>alert") && !html.contains("\u{1B}"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }
}
