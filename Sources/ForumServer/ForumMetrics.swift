import ForumDomain
import ForumStore
import Foundation
import Hummingbird
import Metrics
import Prometheus
import Synchronization

/// The process's metrics: swift-metrics writes into one Prometheus registry, which `/metrics`
/// prints in Prometheus' text format. Hummingbird's `MetricsMiddleware` records every request
/// (`hb_requests` by route, method and status; `http_server_request_duration` histograms); the
/// door and the feeds add their own counters here.
enum ForumMetrics {
    static let registry = PrometheusCollectorRegistry()

    /// Makes the registry swift-metrics' backend, once per process (a second bootstrap would
    /// crash it, and tests build many applications).
    static let bootstrap: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        // From half a millisecond (a scan at the door) to ten seconds (a badge PDF).
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
    }()

    /// A scan answered at `list` with `result`; `offline` if it came from a desk's queue.
    static func checkIn(list: String, result: CheckInResult, offline: Bool) {
        Counter(label: "forum_checkins_total", dimensions: [("list", list), ("result", result.rawValue)]).increment()
        if offline { Counter(label: "forum_checkins_offline_uploads_total", dimensions: [("list", list)]).increment() }
    }

    /// A schedule feed answered in full (200) or as unchanged (304).
    static func feedResponse(_ format: ScheduleFeeds.Format, notModified: Bool) {
        feedCounters[format]![notModified ? 1 : 0].increment()
    }

    /// The feeds' eight counters, made once: making a `Counter` finds it in the registry under a
    /// lock, and feed revalidations are the most frequent requests there are.
    private static let feedCounters: [ScheduleFeeds.Format: [Metrics.Counter]] = {
        _ = bootstrap
        return Dictionary(uniqueKeysWithValues: ScheduleFeeds.Format.allCases.map { format in
            (format, ["200", "304"].map { Counter(label: "forum_feed_responses_total", dimensions: [("feed", format.rawValue), ("status", $0)]) })
        })
    }()
}

/// Desk tokens seen lately, for the `forum_desks_seen_last_minute` gauge.
final class DeskPresence: Sendable {
    private let lastSeen = Mutex<[Int64: ContinuousClock.Instant]>([:])

    func saw(_ token: APIToken) {
        guard token.role == .desk else { return }
        lastSeen.withLock { $0[token.id] = .now }
    }

    /// Desk tokens that made a request in the last minute.
    func seenLastMinute() -> Int {
        let since = ContinuousClock.now - .seconds(60)
        return lastSeen.withLock { seen in
            seen = seen.filter { $0.value >= since }
            return seen.count
        }
    }
}

/// Notes each request of a desk token for `DeskPresence`.
struct DeskPresenceMiddleware: RouterMiddleware {
    let desks: DeskPresence

    func handle(_ request: Request, context: ForumRequestContext, next: (Request, ForumRequestContext) async throws -> Response) async throws -> Response {
        if let token = context.token { desks.saw(token) }
        return try await next(request, context)
    }
}

/// `GET /metrics` in Prometheus' text format, for an admin or a `metrics` token (a scraper's
/// own, which can read nothing else) — never anonymously: route names and desk activity are
/// the forum's business.
struct MetricsController {
    let database: ForumDatabase
    let desks: DeskPresence

    func addRoutes(to router: Router<ForumRequestContext>) {
        router.group().add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin, .metrics])).get("metrics", use: scrape)
    }

    @Sendable func scrape(_ request: Request, context: ForumRequestContext) async throws -> Response {
        Gauge(label: "forum_desks_seen_last_minute").record(desks.seenLastMinute())
        var text: [UInt8] = []
        text.reserveCapacity(64 * 1024)
        ForumMetrics.registry.emit(into: &text)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: text))
        )
    }
}
