import ForumDomain
import ForumFeeds
import ForumStore
import Foundation

/// The published programme as the attendee pages show it: a card per session (time, hall and
/// pavilion, seats left, the sign-up state), the speakers with their sessions, the filters.
/// Built from one published state — release, seats taken, sign-up opening — at one moment;
/// every value is text made printable, for templates that only place and escape it.
struct AttendeeCatalogue: Sendable {
    let forum: String
    let dates: String
    let days: [Day]
    let cards: [String: Card]
    let speakers: [String: Speaker]
    let kinds: [Option]
    let pavilions: [Option]
    /// Sessions with limited seats, in time order: what a participant may sign up for.
    let signUpSessions: [Card]
    /// Each card's heading as HTML (format, title, time and place), made once per state for the
    /// personal pages, which are built per request.
    var summaries: [String: String] = [:]
    /// Each sign-up card of the personal page as HTML, made once per state: the personal pages,
    /// built per request, only put them together.
    var choices: [String: Choice] = [:]
    /// The edition's wall-clock times.
    let time: ForumTime

    struct Card: Sendable {
        let slug: String
        let title: String
        let kind: String
        let kindCode: String
        let pavilionCode: String
        let day: String
        let time: String
        /// «Зал А, павильон 75».
        let place: String
        let description: String
        let people: [Person]
        let hasPeople: Bool
        /// «Свободно мест: 12 из 40», «Мест нет — можно встать в лист ожидания», «Вход свободный».
        let seats: String
        let hasSignUp: Bool
        let full: Bool
        /// «Запись откроется 10 января в 10:00», «Запись открыта»…
        let signUp: String
        let signUpOpen: Bool
        let start: Date
        let end: Date
    }

    /// A sign-up card as HTML: `ready` for a participant whose sessions do not clash with it,
    /// and the parts around the reason for one whose do.
    struct Choice: Sendable {
        /// Rendered where the reason goes, and found again from the end (a title may hold anything).
        static let reasonMark = "\u{FFFC}reason\u{FFFC}"
        let ready: String
        private let beforeReason: Substring
        private let afterReason: Substring

        /// `ready`, and `refusing`: the card rendered with `reasonMark` as its reason.
        init(ready: String, refusing: String) {
            self.ready = ready
            let mark = refusing.range(of: Self.reasonMark, options: .backwards) ?? refusing.endIndex..<refusing.endIndex
            beforeReason = refusing[..<mark.lowerBound]
            afterReason = refusing[mark.upperBound...]
        }

        /// The card without its button, saying why: `reason` is HTML.
        func refused(_ reason: String) -> String {
            beforeReason + reason + afterReason
        }
    }

    struct Person: Sendable {
        let id: String
        let name: String
        let position: String?
        let role: String
    }

    struct Speaker: Sendable {
        let id: String
        let name: String
        let position: String?
        let sessions: [Card]
    }

    struct Day: Sendable {
        let title: String
        let slots: [Slot]
    }

    struct Slot: Sendable {
        let time: String
        let cards: [Card]
    }

    struct Option: Sendable {
        let value: String
        let label: String
    }

    init(_ context: FeedContext, opening: SignUpOpening, now: Date) {
        let programme = context.release.programme
        let edition = programme.edition
        let time = ForumTime(edition.zone)
        self.time = time
        forum = PlainText.printable(edition.fullName)
        let dayTitles = edition.days.map { time.longDay($0.opens) }
        dates = ([dayTitles.first, dayTitles.count > 1 ? dayTitles.last : nil].compactMap { $0 }.joined(separator: " — ")) + " · "
            + PlainText.printable(edition.venue) + ", " + PlainText.printable(edition.city)
        let live = programme.sessions.filter { !$0.isCancelled }.sorted { ($0.start, $0.room, $0.slug) < ($1.start, $1.room, $1.slug) }
        var cards: [String: Card] = [:]
        var people: [String: (person: SessionPerson, slugs: [String])] = [:]
        for session in live {
            let place = programme.room(session.room)
            let persons = session.people.filter { !$0.placeholder }.map { person in
                let id = context.personID(person)
                people[id, default: (person, [])].slugs.append(session.slug)
                return Person(id: id, name: PlainText.printable(person.name), position: person.position.map { PlainText.printable($0) }, role: person.role.russianName)
            }
            let taken = context.seatsTaken[session.slug] ?? 0
            let (seats, full): (String, Bool) = session.capacity.map { capacity in
                taken >= capacity ? ("Мест нет — можно встать в лист ожидания", true) : ("Свободно мест: \(capacity - taken) из \(capacity)", false)
            } ?? ("Вход свободный, без записи", false)
            let opens = opening.opens(session.slug)
            let signUpOpen = session.capacity != nil && opens.map { $0 <= now } == true
            let signUp = session.capacity == nil ? "" : opens.map { $0 <= now ? "Запись открыта — по личной ссылке из письма участника" : "Запись откроется \(time.moment($0))" }
                ?? "Запись ещё не открыта"
            cards[session.slug] = Card(
                slug: session.slug, title: PlainText.printable(session.title), kind: session.kind.russianName, kindCode: session.kind.rawValue,
                pavilionCode: place?.building.slug ?? "", day: time.longDay(session.start), time: "\(time.time(session.start))–\(time.time(session.end))",
                place: PlainText.printable([place?.room.name ?? session.room, place?.building.name].compactMap { $0 }.joined(separator: ", ")),
                description: PlainText.printable(session.description, keepingLineBreaks: true), people: persons, hasPeople: !persons.isEmpty,
                seats: seats, hasSignUp: session.capacity != nil, full: full, signUp: signUp, signUpOpen: signUpOpen, start: session.start, end: session.end
            )
        }
        self.cards = cards
        let ordered = live.compactMap { cards[$0.slug] }
        signUpSessions = ordered.filter(\.hasSignUp)
        days = Self.days(ordered, time: time)
        speakers = Dictionary(uniqueKeysWithValues: people.map { id, entry in
            (id, Speaker(
                id: id, name: PlainText.printable(entry.person.name), position: entry.person.position.map { PlainText.printable($0) },
                sessions: entry.slugs.compactMap { cards[$0] }
            ))
        })
        kinds = SessionKind.allCases.filter { kind in live.contains { $0.kind == kind } }.map { Option(value: $0.rawValue, label: $0.russianName) }
        pavilions = programme.buildings.filter { building in ordered.contains { $0.pavilionCode == building.slug } }
            .map { Option(value: $0.slug, label: PlainText.printable($0.name)) }
    }

    /// The cards grouped by day and start time.
    static func days(_ cards: [Card], time: ForumTime) -> [Day] {
        var days: [Day] = []
        for card in cards {
            if days.last?.title != card.day { days.append(Day(title: card.day, slots: [])) }
            var slots = days[days.count - 1].slots
            let start = time.time(card.start)
            if slots.last?.time == start {
                slots[slots.count - 1] = Slot(time: start, cards: slots[slots.count - 1].cards + [card])
            } else {
                slots.append(Slot(time: start, cards: [card]))
            }
            days[days.count - 1] = Day(title: card.day, slots: slots)
        }
        return days
    }

    /// The programme's days with only the sessions of `kind` and in `pavilion`, if given.
    func days(kind: String?, pavilion: String?) -> [Day] {
        let chosen = days.flatMap { $0.slots.flatMap(\.cards) }.filter { card in
            (kind == nil || card.kindCode == kind) && (pavilion == nil || card.pavilionCode == pavilion)
        }
        return Self.days(chosen, time: time)
    }
}
