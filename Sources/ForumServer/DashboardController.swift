import ForumDomain
import ForumStore
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdAuth
import Mustache

/// `/dashboard`: the organisers' live page. An organiser signs in once with an admin token and
/// gets a session cookie (HttpOnly, SameSite=Strict, Secure when the server speaks TLS); a
/// kiosk link (`forum dashboard kiosk`) shows the same figures read-only until it expires. The
/// page refreshes its figures every five seconds from `…/live`. Every answer is HTML with a
/// strict Content-Security-Policy; nothing is fetched from outside.
struct DashboardController {
    let database: ForumDatabase
    let feeds: ScheduleFeeds
    var pages: DashboardPages { DashboardPages.shared }
    /// Whether the session cookie is marked Secure (the server speaks TLS).
    let secureCookie: Bool

    func addRoutes(to router: Router<ForumRequestContext>) {
        let sessions = SessionMiddleware<DashboardContext>(
            storage: MemoryPersistDriver(),
            configuration: .init(
                sessionCookieParameters: .init(name: "forumops_session", path: "/dashboard", secure: secureCookie, sameSite: .strict),
                defaultSessionExpiration: .seconds(12 * 3600)
            )
        )
        let dashboard = router.group("dashboard", context: DashboardContext.self).add(middleware: PageHeadersMiddleware<DashboardContext>(contentSecurityPolicy: DashboardPolicy.contentSecurityPolicy)).add(middleware: sessions)
        dashboard.get(use: page)
        dashboard.get("live", use: live)
        dashboard.get("sign-in") { _, _ in pages.signIn(forum: forum, message: nil, status: .ok) }
        dashboard.post("sign-in", use: signIn)
        dashboard.post("sign-out", use: signOut)
        dashboard.get("kiosk/:key", use: kioskPage)
        dashboard.get("kiosk/:key/live", use: kioskLive)
        dashboard.get("assets/dashboard.css") { _, _ in pages.asset(.stylesheet) }
        dashboard.get("assets/dashboard.js") { _, _ in pages.asset(.script) }
    }

    private var forum: String { feeds.publishedEdition?.fullName ?? Forum.name }

    /// The organiser behind the session, if their token is still live and an admin's.
    private func organiser(_ context: DashboardContext) -> APIToken? {
        guard let id = context.sessions.session?.tokenID, let token = database.liveToken(id: id), token.role == .admin else { return nil }
        return token
    }

    @Sendable func page(_ request: Request, context: DashboardContext) async throws -> Response {
        guard let organiser = organiser(context) else {
            context.sessions.clearSession()
            return Response(status: .seeOther, headers: [.location: "/dashboard/sign-in"])
        }
        return pages.dashboard(try await database.stats(), forum: forum, who: organiser.name, kiosk: false, live: "/dashboard/live")
    }

    @Sendable func live(_ request: Request, context: DashboardContext) async throws -> Response {
        guard organiser(context) != nil else { return pages.notice(title: "Нужно войти", message: "Сессия закончилась: войдите снова.", status: .unauthorized) }
        return pages.figures(try await database.stats())
    }

    @Sendable func signIn(_ request: Request, context: DashboardContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 4096)
        let form = URLComponents(string: "?" + String(buffer: body))?.queryItems ?? []
        let secret = (form.first { $0.name == "token" }?.value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty, let token = database.authenticate(secret: secret) else {
            return pages.signIn(forum: forum, message: "Токен неизвестен или отозван.", status: .unauthorized)
        }
        guard token.role == .admin else {
            return pages.signIn(forum: forum, message: "Это токен роли «\(token.role.rawValue)»: панель открывает только токен организатора (admin).", status: .forbidden)
        }
        context.sessions.createSession(DashboardSession(tokenID: token.id))
        context.logger.info("dashboard sign-in", metadata: ["token": "\(token.id)"])
        return Response(status: .seeOther, headers: [.location: "/dashboard"])
    }

    @Sendable func signOut(_ request: Request, context: DashboardContext) async throws -> Response {
        context.sessions.clearSession()
        return Response(status: .seeOther, headers: [.location: "/dashboard/sign-in"])
    }

    @Sendable func kioskPage(_ request: Request, context: DashboardContext) async throws -> Response {
        let key = context.parameters.get("key") ?? ""
        switch try await kiosk(key: key) {
        case .live(let link): return pages.dashboard(try await database.stats(), forum: forum, who: link.name, kiosk: true, live: "/dashboard/kiosk/\(key)/live")
        case .refused(let page): return page
        }
    }

    @Sendable func kioskLive(_ request: Request, context: DashboardContext) async throws -> Response {
        switch try await kiosk(key: context.parameters.get("key") ?? "") {
        case .live: return pages.figures(try await database.stats())
        case .refused(let page): return page
        }
    }

    private enum Kiosk {
        case live(KioskLink)
        /// The page that says why not: no such link (404), or expired or revoked (410).
        case refused(Response)
    }

    private func kiosk(key: String) async throws -> Kiosk {
        guard let link = try await database.kioskLink(key: key) else {
            return .refused(pages.notice(title: "Ссылка не действует", message: "Такой ссылки для экрана нет: проверьте адрес или попросите у организаторов новую (forum dashboard kiosk).", status: .notFound))
        }
        guard link.isValid(at: Date()) else {
            return .refused(pages.notice(title: "Ссылка не действует", message: "Срок ссылки для экрана истёк или её отозвали: попросите у организаторов новую (forum dashboard kiosk).", status: .gone))
        }
        return .live(link)
    }
}

/// What a dashboard session keeps: the organiser's token, checked live on every request (a
/// revoked token ends its sessions at once).
struct DashboardSession: Codable, Sendable {
    var tokenID: Int64
}

/// The dashboard's request context: the server's, plus the session.
struct DashboardContext: ChildRequestContext, SessionRequestContext {
    var coreContext: CoreRequestContextStorage
    let sessions = SessionContext<DashboardSession>()

    init(context: ForumRequestContext) {
        coreContext = context.coreContext
    }
}

/// The headers every HTML page carries: its Content-Security-Policy, no framing, no referrer
/// (a kiosk link's key and a participant's personal link are in their paths), no sniffing, and
/// `no-store` unless the page says how it may be cached.
struct PageHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let contentSecurityPolicy: String

    static var referrerPolicy: HTTPField.Name { HTTPField.Name("Referrer-Policy")! }
    static var frameOptions: HTTPField.Name { HTTPField.Name("X-Frame-Options")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        response.headers[Self.referrerPolicy] = "no-referrer"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.frameOptions] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// The dashboard's policy: scripts and styles from this server only and no inline ones.
enum DashboardPolicy {
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}

/// The dashboard's templates and files, read once from the bundle.
struct DashboardPages: Sendable {
    let library: MustacheLibrary
    let stylesheet: ByteBuffer
    let script: ByteBuffer

    enum Asset { case stylesheet, script }

    static let shared: DashboardPages = BundledTemplates.load("Dashboard", DashboardPages.init)

    init(directory: URL) throws {
        library = try BundledTemplates.library(directory, ["page", "figures", "sign-in", "notice"])
        stylesheet = ByteBuffer(string: try BundledTemplates.text(directory, "dashboard.css"))
        script = ByteBuffer(string: try BundledTemplates.text(directory, "dashboard.js"))
    }

    func dashboard(_ stats: ForumStats, forum: String, who: String, kiosk: Bool, live: String) -> Response {
        html(render("page", ["forum": forum, "view": DashboardView(stats), "who": who, "kiosk": kiosk, "live": live]), status: .ok)
    }

    func figures(_ stats: ForumStats) -> Response {
        html(render("figures", ["view": DashboardView(stats)]), status: .ok)
    }

    func signIn(forum: String, message: String?, status: HTTPResponse.Status) -> Response {
        html(render("sign-in", ["forum": forum, "message": message as Any]), status: status)
    }

    func notice(title: String, message: String, status: HTTPResponse.Status) -> Response {
        html(render("notice", ["title": title, "message": message]), status: status)
    }

    func asset(_ asset: Asset) -> Response {
        let (body, type) = switch asset {
        case .stylesheet: (stylesheet, "text/css; charset=utf-8")
        case .script: (script, "text/javascript; charset=utf-8")
        }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"], body: .init(byteBuffer: body))
    }

    private func render(_ template: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: template) ?? ""
    }

    private func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
