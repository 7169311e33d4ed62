import Foundation

/// A published, immutable programme: release N with what changed since N-1.
public struct ProgrammeRelease: Sendable, Hashable, Codable {
    public var number: Int
    public var note: String
    public var publishedAt: Date
    public var programme: Programme
    public var changes: [ProgrammeChange]

    public init(number: Int, note: String, publishedAt: Date, programme: Programme, changes: [ProgrammeChange]) {
        self.number = number
        self.note = note
        self.publishedAt = publishedAt
        self.programme = programme
        self.changes = changes
    }
}

/// A release as listed: its number, note, time, size and changelog, without the programme.
public struct ReleaseSummary: Sendable, Hashable, Codable {
    public var number: Int
    public var note: String
    public var publishedAt: Date
    public var sessions: Int
    public var changes: [ProgrammeChange]

    public init(_ release: ProgrammeRelease) {
        number = release.number
        note = release.note
        publishedAt = release.publishedAt
        sessions = release.programme.sessions.count
        changes = release.changes
    }
}

/// One line of a release's changelog.
public struct ProgrammeChange: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case added
        case cancelled
        /// Back after a cancellation.
        case reinstated
        case moved
        case renamed
        case speakersChanged = "speakers_changed"
    }

    public var kind: Kind
    public var session: String
    public var title: String
    /// In Russian: «перенесена: 15.01 10:00 → 15.01 11:00, зал «А» → «Б»».
    public var detail: String

    public init(kind: Kind, session: String, title: String, detail: String) {
        self.kind = kind
        self.session = session
        self.title = title
        self.detail = detail
    }

    /// What changed from `old` (none for the first release) to `new`, session by session in
    /// the new programme's order; a session missing from `new` counts as cancelled.
    public static func between(_ old: Programme?, _ new: Programme) -> [ProgrammeChange] {
        let time = ForumTime(new.edition.zone)
        let before = Dictionary((old?.sessions ?? []).map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [ProgrammeChange] = []
        for session in new.sessions {
            func change(_ kind: Kind, _ detail: String) {
                changes.append(ProgrammeChange(kind: kind, session: session.slug, title: session.title, detail: detail))
            }
            guard let previous = before[session.slug] else {
                if !session.isCancelled { change(.added, "добавлена: \(time.day(session.start)) \(time.time(session.start))") }
                continue
            }
            if session.isCancelled != previous.isCancelled {
                change(session.isCancelled ? .cancelled : .reinstated, session.isCancelled ? "отменена" : "снова в программе")
            }
            guard !session.isCancelled else { continue }
            var moves: [String] = []
            if session.start != previous.start || session.end != previous.end {
                moves.append("\(time.day(previous.start)) \(time.time(previous.start))–\(time.time(previous.end)) → \(time.day(session.start)) \(time.time(session.start))–\(time.time(session.end))")
            }
            if session.room != previous.room {
                let name = { (slug: String) in new.room(slug)?.room.name ?? old?.room(slug)?.room.name ?? slug }
                moves.append("зал «\(name(previous.room))» → «\(name(session.room))»")
            }
            if !moves.isEmpty { change(.moved, "перенесена: " + moves.joined(separator: ", ")) }
            if session.title != previous.title { change(.renamed, "было: «\(previous.title)»") }
            let names = { (session: Session) in session.people.map(\.name) }
            if names(session) != names(previous) {
                let added = names(session).filter { !names(previous).contains($0) }
                let removed = names(previous).filter { !names(session).contains($0) }
                change(.speakersChanged, ([added.isEmpty ? nil : "+ " + added.joined(separator: ", "),
                                           removed.isEmpty ? nil : "− " + removed.joined(separator: ", ")]
                    .compactMap { $0 }.joined(separator: "; ")).nonEmpty ?? "изменён порядок выступающих")
            }
        }
        let kept = Set(new.sessions.map(\.slug))
        for session in old?.sessions ?? [] where !kept.contains(session.slug) && !session.isCancelled {
            changes.append(ProgrammeChange(kind: .cancelled, session: session.slug, title: session.title, detail: "убрана из программы"))
        }
        return changes
    }
}

extension String {
    /// `nil` for an empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
