import ForumAPI
import ForumBadges
import ForumCredentials
import ForumDomain
import ForumStore
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import Logging
import ServiceLifecycle

/// Builds the HTTP application over an open forum database: HTTPS when the settings carry a
/// certificate, idle connections closed. `onServerRunning` learns the address actually bound
/// (port 0 picks a free one).
public func buildApplication(
    settings: ServerSettings, database: ForumDatabase, badges: BadgeSigner? = nil, backups: BackupScheduler? = nil,
    logger: Logger = Logger(label: "forumops"),
    onServerRunning: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
) throws -> some ApplicationProtocol {
    let feeds = ScheduleFeeds(database: database, baseURL: settings.publicURL)
    let codes = badges.map(BadgeCodeBook.init)
    let http = HTTPServerBuilder.http1(configuration: .init(idleTimeout: TimeAmount(settings.idleTimeout)))
    var services: [any Service] = [FeedRefresher(feeds: feeds, logger: logger)]
    if let codes { services.append(BadgeCodeBookFiller(book: codes, database: database, logger: logger)) }
    if let backups { services.append(backups) }
    return Application(
        router: buildRouter(settings: settings, database: database, badges: badges, feeds: feeds, codes: codes, backups: backups),
        server: try settings.tls.map { try .tls(http, tlsConfiguration: $0) } ?? http,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "forumops"),
        services: services,
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.ipAddress ?? settings.host, channel.localAddress?.port ?? settings.port)
        },
        logger: logger
    )
}

/// The routes and middleware, without a server; tests drive it directly.
public func buildRouter(settings: ServerSettings, database: ForumDatabase, badges: BadgeSigner? = nil) -> Router<ForumRequestContext> {
    buildRouter(
        settings: settings, database: database, badges: badges, feeds: ScheduleFeeds(database: database, baseURL: settings.publicURL),
        codes: badges.map(BadgeCodeBook.init)
    )
}

func buildRouter(
    settings: ServerSettings, database: ForumDatabase, badges: BadgeSigner?, feeds: ScheduleFeeds, codes: BadgeCodeBook?,
    backups: BackupScheduler? = nil
) -> Router<ForumRequestContext> {
    _ = ForumMetrics.bootstrap
    let router = Router(context: ForumRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: RequestLimitsMiddleware(maxBodyBytes: settings.maxBodyBytes))
    router.get("healthz") { _, _ in
        HealthDocument(forum: feeds.publishedEdition?.fullName ?? Forum.name, badges: badges, backups: backups)
    }
    let openAPI = ByteBuffer(data: OpenAPIDocument.yaml)
    router.get("api/v1/openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: openAPI))
    }
    let documents = ParticipantDocuments()
    ParticipantsController(database: database, documents: documents).addRoutes(to: router)
    SessionsController(database: database).addRoutes(to: router)
    BadgesController(database: database, signer: badges, renderer: BadgeRenderer(layout: settings.badgeLayout)).addRoutes(to: router)
    let desks = DeskPresence()
    CheckInsController(database: database, codes: codes, desks: desks).addRoutes(to: router)
    MetricsController(database: database, desks: desks).addRoutes(to: router)
    StatsController(database: database).addRoutes(to: router)
    ReportsController(database: database).addRoutes(to: router)
    DashboardController(database: database, feeds: feeds, secureCookie: settings.tls != nil).addRoutes(to: router)
    feeds.addRoutes(to: router)
    AttendeeController(
        database: database, pages: ProgrammePages(feeds: feeds), signer: badges, settings: settings,
        limiter: SignUpLimiter(perLink: settings.signUpsPerLink, perAddress: settings.signUpsPerAddress), forms: PageForms(database: database)
    ).addRoutes(to: router)
    // Last, so that it knows every route (it acts only where no route answered).
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
    return router
}

struct HealthDocument: ResponseEncodable {
    var status = "ok"
    var forum: String
    /// `ok`, or `missing`: the server then answers every scanned code `cannot_verify`.
    var badgeKey: String
    /// With scheduled backups on: when the last one was made and where.
    var lastBackup: LastBackup?
    var warnings: [String]?

    struct LastBackup: Encodable {
        var madeAt: Date?
        var path: String?
        var failure: String?
    }

    init(forum: String, badges: BadgeSigner?, backups: BackupScheduler?) {
        self.forum = forum
        badgeKey = badges == nil ? "missing" : "ok"
        var warnings = badges == nil ? [Self.noBadgeKey] : []
        if let backups {
            let (last, failure) = backups.status
            lastBackup = LastBackup(madeAt: last?.madeAt, path: last?.path, failure: failure)
            if let failure { warnings.append("резервная копия не сделана: \(failure)") }
        }
        self.warnings = warnings.isEmpty ? nil : warnings
    }

    static let noBadgeKey = "нет ключа подписи бейджей: сканы бейджей не проверяются (ответ cannot_verify), бейджи и QR-коды не выдаются. Создайте ключ: forum keys init — или положите на место сохранённый, и перезапустите сервер."
}

/// The OpenAPI 3.1 description of this server, shipped beside the code.
public enum OpenAPIDocument {
    public static let yaml: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"), let data = try? Data(contentsOf: url) else {
            preconditionFailure("openapi.yaml is missing from the ForumServer bundle")
        }
        return data
    }()
}
