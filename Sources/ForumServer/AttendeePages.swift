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
        library = try BundledTemplates.library(directory, ["head", "foot", "card", "summary", "choice", "programme", "session", "speaker", "my", "notice"])
        stylesheet = ByteBuffer(string: try BundledTemplates.text(directory, "attendee.css"))
    }

    func render(_ template: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: template) ?? ""
    }

    /// A card of the personal page's sign-up list: its button, or `reason` why there is none.
    func choice(_ card: AttendeeCatalogue.Card, summary: String, reason: String?) -> String {
        render("choice", ["summary": summary, "slug": card.slug, "full": card.full, "seats": card.seats, "canSignUp": reason == nil, "reason": reason ?? ""])
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

    private struct State {
        var cache: Cache?
        /// The state whose catalogue a request is building: the others meanwhile use the one
        /// before, rather than all building it at once (seats change every second of a rush).
        var building: Key?
    }

    private let feeds: ScheduleFeeds
    private let state = Mutex(State())
    /// Filter pages kept per state: every kind and pavilion pair fits many times over.
    static let pagesKept = 500

    init(feeds: ScheduleFeeds) {
        self.feeds = feeds
    }

    /// The catalogue of the published state at `now` (or, while another request builds that,
    /// of the state just before), or `nil` before the first release.
    func catalogue(at now: Date = Date()) async throws -> (AttendeeCatalogue, ScheduleFeeds.Published)? {
        try await current(at: now).map { ($0.catalogue, $0.published) }
    }

    private func current(at now: Date) async throws -> (key: Key, catalogue: AttendeeCatalogue, published: ScheduleFeeds.Published)? {
        guard let published = try await feeds.published() else { return nil }
        let key = Key(generation: published.generation, opened: Self.openedCount(published.opening, at: now))
        let ready = state.withLock { state -> Cache? in
            if let cache = state.cache, cache.key == key || state.building == key { return cache }
            state.building = key
            return nil
        }
        if let ready { return (ready.key, ready.catalogue, published) }
        var catalogue = AttendeeCatalogue(published.context, opening: published.opening, now: now)
        let templates = AttendeeTemplates.shared
        catalogue.summaries = catalogue.cards.mapValues { templates.render("summary", ["kind": $0.kind, "slug": $0.slug, "title": $0.title, "day": $0.day, "time": $0.time, "place": $0.place]) }
        catalogue.choices = Dictionary(uniqueKeysWithValues: catalogue.signUpSessions.map { card in
            let summary = catalogue.summaries[card.slug] ?? ""
            return (card.slug, AttendeeCatalogue.Choice(
                ready: templates.choice(card, summary: summary, reason: card.signUpOpen ? nil : card.signUp),
                refusing: templates.choice(card, summary: summary, reason: AttendeeCatalogue.Choice.reasonMark)
            ))
        })
        state.withLock { state in
            if state.building == key { state.building = nil }
            // A slower request's older state does not replace a newer one.
            if state.cache.map({ ($0.key.generation, $0.key.opened) <= (key.generation, key.opened) }) ?? true {
                state.cache = Cache(key: key, catalogue: catalogue, pages: [:])
            }
        }
        return (key, catalogue, published)
    }

    /// The page named `name`, made by `render` once per state.
    func page(_ name: String, to request: Request, render: (AttendeeCatalogue) -> String?) async throws -> Response {
        guard let (key, catalogue, published) = try await current(at: Date()) else {
            return AttendeeResponses.notice(heading: "Программа ещё не опубликована", text: "Загляните позже.", status: .notFound, forum: nil)
        }
        if let rendered = state.withLock({ $0.cache?.key == key ? $0.cache?.pages[name] : nil }) {
            return ScheduleFeeds.response(rendered, to: request)
        }
        guard let html = render(catalogue) else {
            return AttendeeResponses.notice(heading: "Нет такой страницы", text: "Проверьте адрес или откройте программу.", status: .notFound, forum: catalogue)
        }
        let rendered = try ScheduleFeeds.Rendered(
            contentType: "text/html; charset=utf-8", data: Data(html.utf8), release: published.context.release,
            cacheControl: "public, max-age=10", openToOtherSites: false
        )
        state.withLock { state in
            if state.cache?.key == key, state.cache?.pages.count ?? 0 < Self.pagesKept { state.cache?.pages[name] = rendered }
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
