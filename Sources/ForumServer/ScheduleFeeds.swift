import CompressNIO
import ForumDomain
import ForumFeeds
import ForumStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// The latest published programme in every public format, rendered once per release — bytes,
/// their gzip and an ETag — so that serving a feed reads neither the database nor a token.
/// `FeedRefresher` looks for a new release every second.
final class ScheduleFeeds: Sendable {
    /// The formats and where they are served.
    enum Format: String, CaseIterable, Sendable {
        case schedule = "api/v1/schedule"
        case frabJSON = "schedule.json"
        case frabXML = "schedule.xml"
        case calendar = "schedule.ics"

        var contentType: String {
            switch self {
            case .schedule, .frabJSON: "application/json; charset=utf-8"
            case .frabXML: "application/xml; charset=utf-8"
            case .calendar: "text/calendar; charset=utf-8"
            }
        }

        func render(_ context: FeedContext) throws -> Data {
            switch self {
            case .schedule: try ForumJSON.encoder.encode(ScheduleDocument(context))
            case .frabJSON: try ForumJSON.encoder.encode(FrabSchedule(context))
            case .frabXML: FrabXML.render(context)
            case .calendar: ICalendar(context).render(context.release.programme.sessions)
            }
        }
    }

    /// One format of one release, ready to send: both encodings with their headers.
    struct Rendered: Sendable {
        var etag: String
        var plain: Variant
        var gzip: Variant

        struct Variant: Sendable {
            var body: ByteBuffer
            /// The headers of a 200; a 304 sends them without the content ones.
            var headers: HTTPFields
            var notModifiedHeaders: HTTPFields
        }

        init(format: Format, data: Data, release: ProgrammeRelease) throws {
            try self.init(contentType: format.contentType, data: data, release: release, cacheControl: "public, max-age=30", openToOtherSites: true)
        }

        /// `data` of `release` as `contentType`, plain and gzipped, with an ETag of its bytes.
        init(contentType: String, data: Data, release: ProgrammeRelease, cacheControl: String, openToOtherSites: Bool) throws {
            etag = "\"r\(release.number)-\(ScheduleFeeds.fingerprint(data))\""
            var body = ByteBuffer(data: data)
            let compressed = try body.compress(with: .gzip())
            let lastModified = ScheduleFeeds.httpDate(release.publishedAt)
            func variant(_ body: ByteBuffer, etag: String, encoding: String?) -> Variant {
                var common: HTTPFields = [.eTag: etag, .lastModified: lastModified, .cacheControl: cacheControl, .vary: "Accept-Encoding"]
                if openToOtherSites { common[.accessControlAllowOrigin] = "*" }
                var headers = common
                headers[.contentType] = contentType
                if let encoding { headers[.contentEncoding] = encoding }
                return Variant(body: body, headers: headers, notModifiedHeaders: common)
            }
            plain = variant(ByteBuffer(data: data), etag: etag, encoding: nil)
            gzip = variant(compressed, etag: String(etag.dropLast()) + "-gz\"", encoding: "gzip")
        }
    }

    struct Published: Sendable {
        var context: FeedContext
        var feeds: [Format: Rendered]
        /// When participants may sign up on the pages.
        var opening: SignUpOpening
        /// Grows with every new state: the attendee pages render again when it changes.
        var generation: Int
        var release: Int { context.release.number }
    }

    private enum State {
        case unknown
        case nothingPublished
        case published(Published)
    }

    private let state = Mutex<State>(.unknown)
    let database: ForumDatabase
    let baseURL: String

    init(database: ForumDatabase, baseURL: String) {
        self.database = database
        self.baseURL = baseURL
    }

    /// The edition as the latest release in memory describes it.
    var publishedEdition: Edition? {
        state.withLock { if case .published(let published) = $0 { published.context.release.programme.edition } else { nil } }
    }

    /// Renders the latest release if it is not the one in memory, or if seats were taken or
    /// freed since (the forumops JSON says how many are left) or sign-up opening changed.
    func refresh(at now: Date = Date()) async throws {
        let latest = try await database.latestProgrammeReleaseNumber()
        let seats = try await database.seatsTaken()
        let opening = try await database.signUpOpening()
        let (unchanged, generation) = state.withLock { state -> (Bool, Int) in
            switch state {
            case .unknown: (false, 0)
            case .nothingPublished: (latest == nil, 0)
            case .published(let published):
                (latest == published.release && seats == published.context.seatsTaken && opening == published.opening, published.generation)
            }
        }
        guard !unchanged else { return }
        guard let latest, let release = try await database.programmeRelease(latest) else {
            state.withLock { $0 = .nothingPublished }
            return
        }
        let rendered = try Self.render(
            FeedContext(release: release, baseURL: baseURL, seatsTaken: seats, seatsAsOf: now), opening: opening, generation: generation + 1
        )
        state.withLock { $0 = .published(rendered) }
    }

    static func render(_ context: FeedContext, opening: SignUpOpening = SignUpOpening(), generation: Int = 1) throws -> Published {
        var feeds: [Format: Rendered] = [:]
        for format in Format.allCases {
            feeds[format] = try Rendered(format: format, data: try format.render(context), release: context.release)
        }
        return Published(context: context, feeds: feeds, opening: opening, generation: generation)
    }

    /// The published state (read first if the server has not yet), or `nil` before the first release.
    func published() async throws -> Published? {
        if case .unknown = state.withLock({ $0 }) { try await refresh() }
        guard case .published(let published) = state.withLock({ $0 }) else { return nil }
        return published
    }

    /// `rendered` as the answer to `request`: gzip if accepted, 304 on a matching ETag.
    static func response(_ rendered: Rendered, to request: Request) -> Response {
        let variant = acceptsGzip(request.headers[.acceptEncoding]) ? rendered.gzip : rendered.plain
        if let match = request.headers[.ifNoneMatch], matches(match, rendered.etag) {
            return Response(status: .notModified, headers: variant.notModifiedHeaders)
        }
        return Response(status: .ok, headers: variant.headers, body: .init(byteBuffer: variant.body))
    }

    /// A participant's own schedule as JSON or as a calendar, at the unguessable address of
    /// their feed token; built per request (it reads their sign-ups), with an ETag of its bytes.
    func personal(token: String, calendar: Bool, request: Request) async throws -> Response {
        guard let published = try await published() else { throw Problem.notFound("Программа ещё не опубликована.") }
        guard let participant = try await database.participant(feedToken: token) else { throw Problem.notFound("Нет такой ленты.") }
        let schedule = PersonalSchedule(published.context, email: participant.details.email, enrollments: try await database.enrollments(of: participant.id))
        let data = calendar
            ? ICalendar(published.context, name: "Мои сессии — \(published.context.release.programme.edition.name)").render(schedule.sessions)
            : try ForumJSON.encoder.encode(schedule)
        let etag = "\"p\(published.release)-\(Self.fingerprint(data))\""
        var headers: HTTPFields = [.eTag: etag, .cacheControl: "private, max-age=60", .accessControlAllowOrigin: "*"]
        if let match = request.headers[.ifNoneMatch], Self.matches(match, etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = calendar ? Format.calendar.contentType : Format.schedule.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    /// The answer to a GET of `format`: 200 (gzip if accepted), 304 on a matching ETag, 404
    /// before the first release.
    func response(_ format: Format, to request: Request) async throws -> Response {
        guard let feed = try await published()?.feeds[format] else { throw Problem.notFound("Программа ещё не опубликована.") }
        let response = Self.response(feed, to: request)
        ForumMetrics.feedResponse(format, notModified: response.status == .notModified)
        return response
    }

    /// Whether `If-None-Match` names this representation (either encoding of it, weak or strong).
    /// On the path of every revalidation: plain comparisons of the header's parts, no Foundation.
    static func matches(_ header: String, _ etag: String) -> Bool {
        if header == etag { return true }  // What a client that kept our answer sends.
        let base = etag.dropFirst().dropLast()
        return header.split(separator: ",").contains { candidate in
            var tag = candidate.trimmingHTTPWhitespace
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag.first == "\"", tag.last == "\"", tag.count >= 2 { tag = tag.dropFirst().dropLast() }
            return tag == base || (tag.hasSuffix("-gz") && tag.dropLast(3) == base)
        }
    }

    /// `gzip` listed without `q=0`.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { part in
            let pieces = part.split(separator: ";").map { $0.trimmingHTTPWhitespace.lowercased() }
            let refused = pieces.dropFirst().contains { parameter in
                let compact = parameter.filter { $0 != " " }
                return compact.hasPrefix("q=") && Double(compact.dropFirst(2)) == 0
            }
            return (pieces.first == "gzip" || pieces.first == "*") && !refused
        }
    }

    /// `Mon, 15 Jan 2024 07:00:00 GMT` (RFC 9110).
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    /// FNV-1a, 64 bits, hex: the same bytes give the same ETag in every process.
    static func fingerprint(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    func addRoutes(to router: Router<ForumRequestContext>) {
        for format in Format.allCases {
            router.get(RouterPath(format.rawValue)) { request, _ in try await self.response(format, to: request) }
        }
        for (file, calendar) in [("schedule.json", false), ("schedule.ics", true)] {
            router.get(RouterPath("feeds/:token/" + file)) { request, context in
                try await self.personal(token: context.parameters.get("token") ?? "", calendar: calendar, request: request)
            }
        }
    }

}

/// Looks for a newly published release every second (`forum agenda publish` runs in another
/// process) and renders it.
struct FeedRefresher: Service {
    let feeds: ScheduleFeeds
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                do {
                    try await feeds.refresh()
                } catch {
                    logger.error("feed refresh failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}

extension Substring {
    /// Without the spaces and tabs HTTP allows around list elements (RFC 9110 §5.6.1).
    var trimmingHTTPWhitespace: Substring {
        var trimmed = self
        while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        return trimmed
    }
}
