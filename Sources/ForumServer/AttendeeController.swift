import Crypto
import ForumBadges
import ForumCredentials
import ForumDomain
import ForumStore
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// The attendee's pages: the programme (public, cached) and «Мой форум» at the personal link
/// (`/my/{feed token}`): their sessions, sign-up and withdrawal by plain HTML forms — each with
/// a CSRF token, limited per link and per address — their calendar and their badge's QR.
struct AttendeeController {
    let database: ForumDatabase
    let pages: ProgrammePages
    let signer: BadgeSigner?
    let settings: ServerSettings
    let limiter: SignUpLimiter
    let forms: PageForms

    func addRoutes(to router: Router<ForumRequestContext>) {
        let group = router.group().add(middleware: PageHeadersMiddleware<ForumRequestContext>(contentSecurityPolicy: AttendeeResponses.contentSecurityPolicy))
        group.get("programme") { request, _ in try await self.programme(request) }
        group.get("programme/sessions/:slug") { request, context in
            try await detail("session", key: context.parameters.get("slug") ?? "", request: request) { catalogue, slug in
                catalogue.cards[slug].map { ($0.title, $0 as Any) }
            }
        }
        group.get("programme/speakers/:id") { request, context in
            try await detail("speaker", key: context.parameters.get("id") ?? "", request: request) { catalogue, id in
                catalogue.speakers[id].map { ($0.name, $0 as Any) }
            }
        }
        group.get("programme/assets/attendee.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: AttendeeTemplates.shared.stylesheet)
            )
        }
        group.get("my/:token") { request, context in
            try await self.myPage(token: context.parameters.get("token") ?? "", request: request)
        }
        group.post("my/:token/sign-up") { request, context in
            try await self.change(.signUp, token: context.parameters.get("token") ?? "", request: request, context: context)
        }
        group.post("my/:token/withdraw") { request, context in
            try await self.change(.withdraw, token: context.parameters.get("token") ?? "", request: request, context: context)
        }
    }

    // MARK: The programme

    private func programme(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let kind = query["kind"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let pavilion = query["pavilion"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        return try await pages.page("programme?\(kind ?? "")&\(pavilion ?? "")", to: request) { catalogue in
            // Only values the programme has: anything else is «all», and is not kept apart.
            let kind = catalogue.kinds.contains { $0.value == kind } ? kind : nil
            let pavilion = catalogue.pavilions.contains { $0.value == pavilion } ? pavilion : nil
            var values = AttendeeResponses.frame(catalogue, title: "Программа")
            values["days"] = catalogue.days(kind: kind, pavilion: pavilion)
            values["kinds"] = catalogue.kinds.map { ["value": $0.value, "label": $0.label, "selected": $0.value == kind] }
            values["pavilions"] = catalogue.pavilions.map { ["value": $0.value, "label": $0.label, "selected": $0.value == pavilion] }
            return AttendeeTemplates.shared.render("programme", values)
        }
    }

    /// The page of one session or speaker: `find` gives its title and what the template shows.
    private func detail(
        _ template: String, key: String, request: Request, find: @escaping (AttendeeCatalogue, String) -> (title: String, value: Any)?
    ) async throws -> Response {
        try await pages.page(template + "/" + key, to: request) { catalogue in
            find(catalogue, key).map { found in
                var values = AttendeeResponses.frame(catalogue, title: found.title)
                values[template == "session" ? "card" : template] = found.value
                return AttendeeTemplates.shared.render(template, values)
            }
        }
    }

    // MARK: My forum

    /// What a form asks for.
    enum Change { case signUp, withdraw }

    /// What a form did, as the redirect after it names it (`?done=`).
    enum Outcome: String { case seated, waitlisted, already, withdrawn, refused }

    private func myPage(token: String, request: Request) async throws -> Response {
        guard let participant = try await participant(token) else { return Self.noSuchLink(nil) }
        guard let (catalogue, _) = try await pages.catalogue() else {
            return AttendeeResponses.notice(heading: "Программа ещё не опубликована", text: "Загляните позже: ссылка останется прежней.", status: .ok, forum: nil)
        }
        var values = AttendeeResponses.frame(catalogue, title: "Мой форум")
        values["name"] = PlainText.printable(participant.details.fullName)
        values["token"] = token
        values["csrf"] = try await forms.csrfToken(for: token)
        values["cancelled"] = participant.status == .cancelled
        let held = try await database.enrollments(of: participant.id).compactMap { enrollment in catalogue.cards[enrollment.session].map { (enrollment, $0) } }
        let heldCards = held.map(\.1)
        if let shown = Self.outcome(request.uri.queryParameters, catalogue: catalogue, refusal: { Self.refusal(of: $0, holding: heldCards, registered: participant.status == .registered) }) {
            values["message"] = ["text": shown.text, "alert": shown.alert]
        }
        // Dictionaries and ready-made HTML of the cards: these pages are built per request.
        values["mine"] = held.map { enrollment, card -> [String: Any] in
            let state = enrollment.state == .seated ? "Место за вами" : "В листе ожидания: \(enrollment.waitlistPosition ?? 0)-й"
            return ["summary": catalogue.summaries[card.slug] ?? "", "slug": card.slug, "state": state, "waiting": enrollment.state == .waitlisted]
        }
        values["hasMine"] = !held.isEmpty
        let heldSlugs = Set(heldCards.map(\.slug))
        values["choices"] = catalogue.signUpSessions.filter { !heldSlugs.contains($0.slug) }.compactMap { card in
            let choice = catalogue.choices[card.slug]
            guard card.signUpOpen, let clash = Self.clash(of: card, holding: heldCards) else { return choice?.ready }
            return choice?.refused(PlainText.markup(clash))
        }.joined()
        let calendar = settings.personalCalendarURL(feedToken: token)
        values["calendar"] = calendar
        values["webcal"] = CalendarSubscription.webcal(calendar)
        if participant.status == .registered, let signer, let svg = try? QRImage.svg(try QRCode(try signer.code(for: participant))) {
            values["qr"] = String(decoding: svg, as: UTF8.self)
            values["hasQR"] = true
        }
        return AttendeeResponses.html(AttendeeTemplates.shared.render("my", values), status: .ok)
    }

    /// A sign-up or a withdrawal from a form: limited, CSRF-checked, then done, and answered by
    /// a redirect to the page, which says what happened — also when it was refused, so that
    /// reloading the page never sends the form again.
    private func change(_ change: Change, token: String, request: Request, context: ForumRequestContext) async throws -> Response {
        if let wait = limiter.admit(token: token, address: context.remoteAddress) {
            let catalogue = try await pages.catalogue()?.0
            var response = AttendeeResponses.notice(
                heading: "Слишком много нажатий", text: "С этой ссылки или этого адреса сейчас слишком много запросов. Подождите \(wait) с и откройте страницу заново — ваша запись не потеряна.",
                status: .tooManyRequests, forum: catalogue, back: "/my/\(token)"
            )
            response.headers[.retryAfter] = String(wait)
            return response
        }
        guard let participant = try await participant(token) else { return Self.noSuchLink(try await pages.catalogue()?.0) }
        let form = try await PageForms.fields(of: request)
        guard let csrf = form["csrf"], try await forms.isValid(csrf, for: token) else {
            return AttendeeResponses.notice(
                heading: "Страница устарела", text: "Форма отправлена не с вашей страницы или страница устарела. Откройте «Мой форум» заново и повторите.",
                status: .forbidden, forum: try await pages.catalogue()?.0, back: "/my/\(token)"
            )
        }
        let state = try await pages.catalogue()
        guard let (catalogue, published) = state, let slug = form["session"], catalogue.cards[slug]?.hasSignUp == true else {
            return AttendeeResponses.notice(
                heading: "Нет такой сессии с записью", text: "Откройте «Мой форум» заново: там все сессии, на которые можно записаться.",
                status: .notFound, forum: state?.0, back: "/my/\(token)"
            )
        }
        guard participant.status == .registered else { return Self.redirect(token: token, .refused, session: slug) }
        do {
            switch change {
            case .signUp:
                guard published.opening.isOpen(slug, at: Date()) else { return Self.redirect(token: token, .refused, session: slug) }
                let (enrollment, created) = try await database.signUp(participant: participant.id, in: slug)
                return Self.redirect(token: token, !created ? .already : enrollment.state == .seated ? .seated : .waitlisted, session: slug)
            case .withdraw:
                _ = try await database.withdraw(participant: participant.id, from: slug)
                return Self.redirect(token: token, .withdrawn, session: slug)
            }
        } catch StoreError.conflict {
            return Self.redirect(token: token, .refused, session: slug)
        } catch StoreError.notFound {
            return Self.redirect(token: token, .withdrawn, session: slug)
        }
    }

    /// The participant of a personal link; a wrong, old or malformed link is just not found.
    private func participant(_ token: String) async throws -> Participant? {
        guard token.count <= 100 else { return nil }
        return try await database.participant(feedToken: token)
    }

    private static func noSuchLink(_ catalogue: AttendeeCatalogue?) -> Response {
        AttendeeResponses.notice(
            heading: "Нет такой страницы", text: "Ссылка неверна или устарела. Личную ссылку присылают в письме с билетом; организаторы найдут её по вашей фамилии.",
            status: .notFound, forum: catalogue
        )
    }

    private static func redirect(token: String, _ outcome: Outcome, session: String) -> Response {
        Response(status: .seeOther, headers: [.location: "/my/\(token)?done=\(outcome.rawValue)&session=\(session)", .cacheControl: "private, no-store"])
    }

    /// What the redirect after a form says happened. A refusal gives the reason the page sees
    /// now (`refusal`), the same one its card shows.
    static func outcome(_ query: Parameters, catalogue: AttendeeCatalogue, refusal: (AttendeeCatalogue.Card) -> String?) -> (text: String, alert: Bool)? {
        guard let done = query["done"].flatMap({ Outcome(rawValue: String($0)) }), let card = query["session"].flatMap({ catalogue.cards[String($0)] }) else {
            return nil
        }
        let title = card.title
        return switch done {
        case .seated: ("Вы записаны на «\(title)»: место за вами.", false)
        case .waitlisted: ("Мест на «\(title)» нет — вы в листе ожидания; освободившееся место перейдёт к вам в порядке очереди.", false)
        case .already: ("Вы уже записаны на «\(title)»: повторная запись ничего не меняет.", false)
        case .withdrawn: ("Запись на «\(title)» снята.", false)
        case .refused: ("Записаться на «\(title)» нельзя: " + Self.clause(refusal(card) ?? "запись изменилась, пока страница была открыта; посмотрите карточку сессии ниже"), true)
        }
    }

    /// Why a participant holding `held` may not sign up for `card` now, or `nil`.
    static func refusal(of card: AttendeeCatalogue.Card, holding held: [AttendeeCatalogue.Card], registered: Bool) -> String? {
        guard registered else { return "Регистрация отменена" }
        guard card.signUpOpen else { return card.signUp }
        return clash(of: card, holding: held)
    }

    /// The reason `card` clashes with a session the participant holds, if it does.
    static func clash(of card: AttendeeCatalogue.Card, holding held: [AttendeeCatalogue.Card]) -> String? {
        held.first { $0.slug != card.slug && $0.start < card.end && card.start < $0.end }.map { "Идёт в то же время, что «\($0.title)», на которую вы записаны" }
    }

    /// A reason as the end of a sentence: «…нельзя: идёт в то же время, что «…».»
    private static func clause(_ text: String) -> String {
        text.prefix(1).lowercased() + text.dropFirst() + (text.hasSuffix(".") ? "" : ".")
    }
}

/// The forms of the attendee pages: their fields, and the CSRF token that proves a form came
/// from the participant's own page (an HMAC of their link with the forum's page secret).
public final class PageForms: Sendable {
    let database: ForumDatabase
    private let secret = Mutex<SymmetricKey?>(nil)
    /// A form's body is a few short fields.
    static let maximumBody = 4096

    init(database: ForumDatabase) {
        self.database = database
    }

    func csrfToken(for link: String) async throws -> String {
        Self.csrfToken(for: link, secret: try await key())
    }

    /// The token the forms of the personal page at `link` carry, under the forum's page secret.
    public static func csrfToken(for link: String, secret: SymmetricKey) -> String {
        // base64url without padding (RFC 4648 §5), byte by byte: it is on the path of every form.
        let base64 = Data(HMAC<SHA256>.authenticationCode(for: Data(("csrf:" + link).utf8), using: secret)).base64EncodedData()
        return String(decoding: base64.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }, as: UTF8.self)
    }

    func isValid(_ token: String, for link: String) async throws -> Bool {
        let expected = try await csrfToken(for: link)
        // Compared in constant time.
        return token.utf8.count == expected.utf8.count && zip(token.utf8, expected.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func key() async throws -> SymmetricKey {
        if let key = secret.withLock({ $0 }) { return key }
        let key = try await database.pageSecret()
        secret.withLock { $0 = key }
        return key
    }

    /// The fields of an `application/x-www-form-urlencoded` body of at most `maximumBody` bytes.
    static func fields(of request: Request) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: maximumBody)
        var components = URLComponents()
        components.percentEncodedQuery = String(buffer: body).replacingOccurrences(of: "+", with: "%20")
        var fields: [String: String] = [:]
        for item in components.queryItems ?? [] where fields[item.name] == nil {
            fields[item.name] = item.value
        }
        return fields
    }
}

/// How often one personal link and one address may send the sign-up forms: a minute's window
/// each. A participant who clicks fifty times gets the same answer (a sign-up twice is one),
/// and past the limit a page that says to wait.
final class SignUpLimiter: Sendable {
    let perLink: Int
    let perAddress: Int
    private let windows = Mutex<(minute: Int, counts: [String: Int])>((0, [:]))

    init(perLink: Int = 20, perAddress: Int = 600) {
        self.perLink = perLink
        self.perAddress = perAddress
    }

    /// `nil` if the request may go on, otherwise the seconds to wait.
    func admit(token: String, address: String?, at now: Date = Date()) -> Int? {
        let seconds = Int(now.timeIntervalSince1970)
        return windows.withLock { windows in
            if windows.minute != seconds / 60 { windows = (seconds / 60, [:]) }
            let link = (windows.counts["t:" + token] ?? 0) + 1
            let place = address.map { (windows.counts["a:" + $0] ?? 0) + 1 } ?? 0
            guard link <= perLink, place <= perAddress else { return 60 - seconds % 60 }
            windows.counts["t:" + token] = link
            if let address { windows.counts["a:" + address] = place }
            return nil
        }
    }
}
