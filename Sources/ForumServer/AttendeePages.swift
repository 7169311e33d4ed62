import Crypto
import ForumBadges
import ForumCredentials
import ForumDomain
import ForumFeeds
import ForumStore
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Synchronization

/// The attendee pages' templates and stylesheet, read once from the bundle.
struct AttendeeTemplates: Sendable {
    let library: MustacheLibrary
    let stylesheet: ByteBuffer

    static let shared: AttendeeTemplates = BundledTemplates.load("Attendee", AttendeeTemplates.init)

    init(directory: URL) throws {
        library = try BundledTemplates.library(directory, ["head", "foot", "card", "summary", "programme", "session", "speaker", "my", "notice"])
        stylesheet = ByteBuffer(string: try BundledTemplates.text(directory, "attendee.css"))
    }

    func render(_ template: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: template) ?? ""
    }
}

/// Templates and files kept in a folder of the ForumServer bundle.
enum BundledTemplates {
    /// The folder's contents made by `make`; a missing or broken folder is a broken build.
    static func load<Value>(_ folder: String, _ make: (URL) throws -> Value) -> Value {
        guard let directory = Bundle.module.url(forResource: folder, withExtension: nil), let value = try? make(directory) else {
            preconditionFailure("the \(folder) templates are missing from the ForumServer bundle or do not parse")
        }
        return value
    }

    /// The templates `NAME.mustache` of `directory`, each registered under its name.
    static func library(_ directory: URL, _ names: [String]) throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for name in names { try library.register(try text(directory, name + ".mustache"), named: name) }
        return library
    }

    static func text(_ directory: URL, _ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }
}

/// The public programme pages, rendered once per published state (release, seats, sign-up
/// opening, which openings have passed) and served from memory with an ETag.
final class ProgrammePages: Sendable {
    private struct Key: Equatable {
        var generation: Int
        var opened: Int
    }

    private struct Cache {
        var key: Key
        var catalogue: AttendeeCatalogue
        var pages: [String: ScheduleFeeds.Rendered]
    }

    private let feeds: ScheduleFeeds
    private let cache = Mutex<Cache?>(nil)
    /// Filter pages kept per state: every kind and pavilion pair fits many times over.
    static let pagesKept = 500

    init(feeds: ScheduleFeeds) {
        self.feeds = feeds
    }

    /// The catalogue of the published state at `now`, or `nil` before the first release.
    func catalogue(at now: Date = Date()) async throws -> (AttendeeCatalogue, ScheduleFeeds.Published)? {
        guard let published = try await feeds.published() else { return nil }
        let key = Key(generation: published.generation, opened: Self.openedCount(published.opening, at: now))
        if let cached = cache.withLock({ $0?.key == key ? $0?.catalogue : nil }) { return (cached, published) }
        var catalogue = AttendeeCatalogue(published.context, opening: published.opening, now: now)
        catalogue.summaries = catalogue.cards.mapValues { AttendeeTemplates.shared.render("summary", ["kind": $0.kind, "slug": $0.slug, "title": $0.title, "day": $0.day, "time": $0.time, "place": $0.place]) }
        cache.withLock { $0 = Cache(key: key, catalogue: catalogue, pages: [:]) }
        return (catalogue, published)
    }

    /// The page named `name`, made by `render` once per state.
    func page(_ name: String, to request: Request, render: (AttendeeCatalogue) -> String?) async throws -> Response {
        guard let (catalogue, published) = try await catalogue() else {
            return AttendeeResponses.notice(heading: "Программа ещё не опубликована", text: "Загляните позже.", status: .notFound, forum: nil)
        }
        if let rendered = cache.withLock({ $0?.pages[name] }) { return ScheduleFeeds.response(rendered, to: request) }
        guard let html = render(catalogue) else {
            return AttendeeResponses.notice(heading: "Нет такой страницы", text: "Проверьте адрес или откройте программу.", status: .notFound, forum: catalogue)
        }
        let rendered = try ScheduleFeeds.Rendered(
            contentType: "text/html; charset=utf-8", data: Data(html.utf8), release: published.context.release,
            cacheControl: "public, max-age=10", openToOtherSites: false
        )
        cache.withLock { cache in
            if cache?.pages.count ?? 0 < Self.pagesKept { cache?.pages[name] = rendered }
        }
        return ScheduleFeeds.response(rendered, to: request)
    }

    /// How many sign-up moments have passed: the pages change when one does.
    static func openedCount(_ opening: SignUpOpening, at now: Date) -> Int {
        ([opening.all].compactMap { $0 } + opening.sessions.values).filter { $0 <= now }.count
    }
}

/// Answers every attendee page shares: HTML, the headers that keep it safe, notices.
enum AttendeeResponses {
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// The forum's name and dates for the header of every page.
    static func frame(_ catalogue: AttendeeCatalogue?, title: String) -> [String: Any] {
        ["forum": catalogue?.forum ?? PlainText.printable(Forum.name), "dates": catalogue?.dates ?? "", "title": title]
    }

    static func html(_ text: String, status: HTTPResponse.Status, personal: Bool = true) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        if personal { headers[.cacheControl] = "private, no-store" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func notice(heading: String, text: String, status: HTTPResponse.Status, forum catalogue: AttendeeCatalogue?, back: String = "/programme") -> Response {
        var values = frame(catalogue, title: heading)
        values["heading"] = heading
        values["text"] = text
        values["back"] = back
        return html(AttendeeTemplates.shared.render("notice", values), status: status)
    }
}
