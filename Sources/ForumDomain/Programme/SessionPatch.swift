import Foundation

/// Changes to a session as the admin API receives them: only the fields sent change. Times are
/// ISO 8601 with an offset (`2024-01-15T14:00:00+03:00`); `capacity: 0` removes sign-up.
public struct SessionPatch: Sendable, Hashable, Codable {
    public var kind: SessionKind?
    public var title: String?
    public var description: String?
    public var track: String?
    public var room: String?
    public var start: String?
    public var end: String?
    public var capacity: Int?
    public var status: SessionStatus?
    public var people: [SessionPerson]?

    public init() {}

    /// `session` with the changes, or every problem with them.
    public func applied(to session: Session) throws(ValidationFailure) -> Session {
        var errors: [FieldError] = []
        var changed = session
        func moment(_ text: String?, _ field: String) -> Date? {
            guard let text else { return nil }
            guard let date = try? Date(text, strategy: .iso8601) else {
                errors.append(FieldError(field: field, message: "«\(text)» — ожидается дата и время ISO 8601 со смещением: 2024-01-15T14:00:00+03:00"))
                return nil
            }
            return date
        }
        var texts: [(field: String, value: String?, limit: Int)] = [
            ("title", title, 300), ("description", description, 5000), ("track", track, 200), ("room", room, 100), ("start", start, 40), ("end", end, 40),
        ]
        for (index, person) in (people ?? []).enumerated() {
            texts += [("people[\(index)].name", person.name, 200), ("people[\(index)].position", person.position, 500), ("people[\(index)].email", person.email, 254)]
        }
        for case let (field, value?, limit) in texts {
            if let error = PlainText.fieldError(value, field: field, maximumLength: limit) { errors.append(error) }
        }
        if let kind { changed.kind = kind }
        if let title {
            if let tidy = RussianText.tidy(title) { changed.title = tidy } else { errors.append(FieldError(field: "title", message: "название не может быть пустым")) }
        }
        if let description { changed.description = description.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let track { changed.track = RussianText.tidy(track) }
        if let room { changed.room = room }
        if let start = moment(start, "start") {
            // Moving the start keeps the length unless a new end is given too.
            changed = changed.moved(to: start)
        }
        if let end = moment(end, "end") { changed.end = end }
        if let capacity {
            if capacity < 0 { errors.append(FieldError(field: "capacity", message: "число мест не может быть отрицательным")) }
            changed.capacity = capacity > 0 ? capacity : nil
        }
        if let status { changed.status = status }
        if let people {
            for (index, person) in people.enumerated() where RussianText.tidy(person.name) == nil {
                errors.append(FieldError(field: "people[\(index)].name", message: "укажите имя"))
            }
            changed.people = people.map { person in
                var person = person
                person.email = person.email.flatMap(EmailAddress.normalised)
                return person
            }
        }
        if let problem = Session.timeProblem(start: changed.start, end: changed.end) { errors.append(FieldError(field: "end", message: problem)) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return changed
    }
}
