import ForumDomain
import Foundation
import Yams

/// Reads the programme that organisers keep in `Agenda/` as YAML into a `Programme`. A folder
/// may split it over several `.yaml` files (read in name order); the edition is in exactly one.
/// Every problem names the file, line, column and field, in Russian; any problem refuses the
/// whole programme.
public enum AgendaReader {
    /// Reads a file, or every `.yaml`/`.yml` file of a folder.
    public static func read(path: String) throws(AgendaRefusal) -> Programme {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw AgendaRefusal([AgendaProblem(file: path, message: "нет такого файла или папки")])
        }
        var names = [path]
        if isFolder.boolValue {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            names = entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                .map { (path as NSString).appendingPathComponent($0) }
            guard !names.isEmpty else { throw AgendaRefusal([AgendaProblem(file: path, message: "в папке нет файлов .yaml")]) }
        }
        var files: [(name: String, text: String)] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: name), let text = String(data: data, encoding: .utf8) else {
                throw AgendaRefusal([AgendaProblem(file: name, message: "не удаётся прочитать файл как UTF-8")])
            }
            files.append((name, text))
        }
        return try read(files: files)
    }

    /// Reads programme files given as text.
    public static func read(files: [(name: String, text: String)]) throws(AgendaRefusal) -> Programme {
        var documents: [(node: Node, log: ProblemLog)] = []
        var problems: [AgendaProblem] = []
        for file in files {
            let log = ProblemLog(file: file.name)
            do {
                guard let node = try Yams.compose(yaml: file.text) else { continue }
                documents.append((node, log))
            } catch let error as YamlError {
                problems.append(syntaxProblem(error, file: file.name))
            } catch {
                problems.append(AgendaProblem(file: file.name, message: "не удаётся разобрать YAML: \(error)"))
            }
        }
        var builder = ProgrammeBuilder()
        for document in documents { builder.readPlaces(document.node, log: document.log) }
        let edition = builder.edition(problems: &problems, files: files.map(\.name))
        for document in documents { builder.readSessions(document.node, log: document.log, zone: edition?.zone) }
        problems += documents.flatMap(\.log.problems)
        guard problems.isEmpty, let edition else { throw AgendaRefusal(problems) }
        return Programme(edition: edition, buildings: builder.buildings, walking: builder.walking, sessions: builder.sessions)
    }

    private static func syntaxProblem(_ error: YamlError, file: String) -> AgendaProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return AgendaProblem(file: file, line: mark.line, column: mark.column, message: "ошибка синтаксиса YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return AgendaProblem(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "ключ повторяется: " + duplicates.joined(separator: ", ")
            )
        default:
            return AgendaProblem(file: file, message: "ошибка YAML: \(error)")
        }
    }
}

/// Collects the parts of a programme from its files, checking each against what came before.
private struct ProgrammeBuilder {
    var editions: [(edition: Edition?, file: String)] = []
    var buildings: [Building] = []
    var walking: [WalkingTime] = []
    var sessions: [Session] = []
    private var buildingSlugs: Set<String> = []
    private var roomSlugs: Set<String> = []
    private var sessionSlugs: Set<String> = []

    static let topLevel: Set = ["edition", "buildings", "walkingMinutes", "sessions"]

    /// The edition and the buildings with their rooms: what sessions refer to.
    mutating func readPlaces(_ node: Node, log: ProblemLog) {
        let top = YAMLFields(node, path: "", problems: log)
        top.finish(known: Self.topLevel)
        if let edition = top.value("edition") {
            editions.append((Self.edition(YAMLFields(edition, path: "edition", problems: log)), log.file))
        }
        buildings += top.list("buildings", required: false) { (node, path) -> Building? in
            let fields = YAMLFields(node, path: path, problems: log)
            defer { fields.finish(known: ["slug", "name", "rooms"]) }
            let buildingSlug = slug(fields, unique: &buildingSlugs, what: "здание")
            let rooms = fields.list("rooms") { (node, path) -> Room? in
                let fields = YAMLFields(node, path: path, problems: log)
                defer { fields.finish(known: ["slug", "name", "capacity"]) }
                let roomSlug = slug(fields, unique: &roomSlugs, what: "зал")
                guard let roomSlug, let name = fields.string("name"), let capacity = fields.int("capacity", in: 1...100_000) else { return nil }
                return Room(slug: roomSlug, name: name, capacity: capacity)
            }
            guard let buildingSlug, let name = fields.string("name") else { return nil }
            return Building(slug: buildingSlug, name: name, rooms: rooms)
        }
    }

    /// The one edition of all the files.
    func edition(problems: inout [AgendaProblem], files: [String]) -> Edition? {
        switch editions.count {
        case 1: return editions[0].edition
        case 0:
            problems.append(AgendaProblem(file: files.first ?? "Agenda", field: "edition", message: "нет раздела edition: название, даты и место форума"))
        default:
            problems.append(AgendaProblem(
                file: editions[1].file, field: "edition",
                message: "раздел edition уже есть в \(editions[0].file): форум описывается один раз"
            ))
        }
        return nil
    }

    /// Walking times and sessions, checked against the buildings and rooms of every file.
    mutating func readSessions(_ node: Node, log: ProblemLog, zone: TimeZone?) {
        let top = YAMLFields(node, path: "", problems: log)
        walking += top.list("walkingMinutes", required: false) { (node, path) -> WalkingTime? in
            let fields = YAMLFields(node, path: path, problems: log)
            defer { fields.finish(known: ["between", "minutes"]) }
            let pair = fields.value("between")?.sequence?.compactMap { $0.scalar?.string } ?? []
            guard pair.count == 2 else {
                log.add(at: fields.value("between") ?? node, field: fields.fieldPath("between"), "ожидаются два здания: [pavilion-75, pavilion-57]")
                return nil
            }
            for slug in pair where !buildingSlugs.contains(slug) {
                log.add(at: fields.value("between"), field: fields.fieldPath("between"), "здание «\(slug)» не описано в buildings")
            }
            guard let minutes = fields.int("minutes", in: 0...180) else { return nil }
            return WalkingTime(from: pair[0], to: pair[1], minutes: minutes)
        }
        let time = ForumTime(zone ?? Forum.timeZone)
        sessions += top.list("sessions", required: false) { (node, path) -> Session? in
            let fields = YAMLFields(node, path: path, problems: log)
            defer {
                fields.finish(known: ["slug", "kind", "title", "description", "track", "room", "date", "start", "end", "capacity", "people", "status"])
            }
            let sessionSlug = slug(fields, unique: &sessionSlugs, what: "сессия")
            let kind: SessionKind? = fields.choice("kind")
            let title = fields.string("title")
            let room = fields.string("room")
            if let room, !roomSlugs.contains(room) {
                log.add(at: fields.value("room"), field: fields.fieldPath("room"), "зал «\(room)» не описан в buildings")
            }
            let date = fields.string("date")
            let (start, end) = (Self.moment(fields, "start", on: date, time), Self.moment(fields, "end", on: date, time))
            if let start, let end, let problem = Session.timeProblem(start: start, end: end) {
                log.add(at: fields.value("end"), field: fields.fieldPath("end"), problem)
            }
            let capacity = fields.int("capacity", required: false, in: 1...100_000)
            let status: SessionStatus = fields.choice("status", required: false) ?? .scheduled
            let people = fields.list("people", required: false) { node, path in Self.person(YAMLFields(node, path: path, problems: log)) }
            guard let sessionSlug, let kind, let title, let room, let start, let end else { return nil }
            return Session(
                slug: sessionSlug, kind: kind, title: title, description: fields.string("description", required: false) ?? "",
                track: fields.string("track", required: false), room: room, start: start, end: end, capacity: capacity,
                people: people, status: status
            )
        }
    }

    private static func edition(_ fields: YAMLFields) -> Edition? {
        defer { fields.finish(known: ["slug", "name", "fullName", "organiser", "venue", "city", "timeZone", "days"]) }
        let zoneName = fields.string("timeZone") ?? Forum.timeZone.identifier
        let zone = TimeZone(identifier: zoneName)
        if zone == nil {
            fields.problems.add(at: fields.value("timeZone"), field: fields.fieldPath("timeZone"), "«\(zoneName)» — неизвестный часовой пояс (например, Europe/Moscow)")
        }
        let time = ForumTime(zone ?? Forum.timeZone)
        let days = fields.list("days") { (node, path) -> Edition.Day? in
            let day = YAMLFields(node, path: path, problems: fields.problems)
            defer { day.finish(known: ["date", "opens", "closes"]) }
            let date = day.string("date")
            guard let date, let opens = moment(day, "opens", on: date, time), let closes = moment(day, "closes", on: date, time) else { return nil }
            if closes <= opens { fields.problems.add(at: day.value("closes"), field: day.fieldPath("closes"), "закрытие должно быть позже открытия") }
            return Edition.Day(date: date, opens: opens, closes: closes)
        }
        guard let slug = fields.string("slug"), let name = fields.string("name"), let fullName = fields.string("fullName"),
              let organiser = fields.string("organiser"), let venue = fields.string("venue"), let city = fields.string("city"),
              zone != nil, !days.isEmpty
        else { return nil }
        return Edition(slug: slug, name: name, fullName: fullName, organiser: organiser, venue: venue, city: city, timeZone: zoneName, days: days)
    }

    private static func person(_ fields: YAMLFields) -> SessionPerson? {
        defer { fields.finish(known: ["name", "position", "role", "placeholder", "email"]) }
        let email = fields.string("email", required: false)
        if let email, EmailAddress.normalised(email) == nil {
            fields.problems.add(at: fields.value("email"), field: fields.fieldPath("email"), "«\(email)» — не похоже на адрес электронной почты")
        }
        let role: SessionPerson.Role? = fields.choice("role")
        guard let name = fields.string("name"), let role else { return nil }
        return SessionPerson(
            name: name, position: fields.string("position", required: false), role: role,
            placeholder: fields.bool("placeholder") ?? false, email: email.flatMap(EmailAddress.normalised)
        )
    }

    /// `date` at the time in `key` («HH:MM»).
    private static func moment(_ fields: YAMLFields, _ key: String, on date: String?, _ time: ForumTime) -> Date? {
        guard let text = fields.string(key), let date else { return nil }
        if let moment = time.date(date, at: text) { return moment }
        // Name the part that is wrong: the day, or the time.
        let badDay = time.date(date, at: "00:00") == nil
        let field = badDay ? "date" : key
        fields.problems.add(
            at: fields.value(field) ?? fields.value(key), field: fields.fieldPath(field),
            badDay ? "«\(date)» — ожидается дата ГГГГ-ММ-ДД" : "«\(text)» — ожидается время ЧЧ:ММ"
        )
        return nil
    }

    /// A slug of lower-case Latin letters, digits and single hyphens, new among `unique`.
    private func slug(_ fields: YAMLFields, unique: inout Set<String>, what: String) -> String? {
        guard let slug = fields.string("slug") else { return nil }
        if let problem = Slug.problem(slug) {
            fields.problems.add(at: fields.value("slug"), field: fields.fieldPath("slug"), problem)
            return nil
        }
        guard unique.insert(slug).inserted else {
            fields.problems.add(at: fields.value("slug"), field: fields.fieldPath("slug"), "\(what) «\(slug)» уже есть: slug должен быть единственным")
            return nil
        }
        return slug
    }
}
