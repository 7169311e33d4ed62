import ArgumentParser
import ForumAgenda
import ForumDomain
import ForumStore
import Foundation

struct AgendaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenda",
        abstract: "Программа форума: импорт из Agenda/, проверка конфликтов, правка сессий, выпуски.",
        subcommands: [
            Import.self, Check.self, List.self, Show.self, Move.self, Cancel.self, Reinstate.self, Publish.self, Releases.self,
            Enroll.self, Withdraw.self, Enrollments.self, People.self, SignUp.self,
        ]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Импортировать программу из YAML-файла или папки Agenda — целиком или ничего.",
            discussion: """
                Сессии узнаются по slug: правка файла меняет их на месте. Сессия, которой больше нет в файле, \
                отменяется (не удаляется) и попадает в отчёт. Ошибки печатаются как ФАЙЛ:СТРОКА:СТОЛБЕЦ: поле: причина.
                """
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        @Argument(help: "Файл .yaml или папка с программой.")
        var path = "Agenda"

        @Flag(help: "Показать, что изменится, ничего не записывая.")
        var dryRun = false

        func run() async throws {
            let programme: Programme
            do {
                programme = try AgendaReader.read(path: path)
            } catch {
                throw CLIError.refused(error.description)
            }
            let report = try await options.openDatabase().importProgramme(programme, dryRun: dryRun)
            if output.json { return try Terminal.outputJSON(report) }
            for change in report.changes { Terminal.output(AgendaText.line(change)) }
            let counts = Dictionary(grouping: programme.sessions, by: \.kind).mapValues(\.count)
            Terminal.message(
                "\(path): сессий \(report.sessions) (" + SessionKind.allCases.compactMap { kind in counts[kind].map { "\(kind.russianName.lowercased()): \($0)" } }.joined(separator: ", ") + "); "
                    + (report.changes.isEmpty ? "изменений нет" : "изменений \(report.changes.count)")
                    + (report.vanished.isEmpty ? "" : "; отменены, так как их нет в файле: " + report.vanished.joined(separator: ", "))
                    + (dryRun ? ". Пробный запуск: ничего не записано." : ".")
            )
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Проверить программу: залы, выступающие, переходы между павильонами, часы форума, вместимость.",
            discussion: "Код выхода 1, если есть ошибки (с ними программа не публикуется); предупреждения — код 0."
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        func run() async throws {
            let problems = try await options.openDatabase().checkProgramme()
            if output.json {
                try Terminal.outputJSON(problems)
            } else {
                for problem in problems {
                    Terminal.output("\(problem.severity == .error ? "ошибка" : "предупреждение") [\(problem.rule.rawValue)] \(problem.message)")
                }
                let errors = problems.count { $0.severity == .error }
                Terminal.message("Ошибок: \(errors), предупреждений: \(problems.count - errors).")
            }
            if problems.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Показать сессии черновика программы по времени.")

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        @Option(help: "Вид: \(SessionKind.allCases.map(\.rawValue).joined(separator: ", ")).", transform: { text in
            guard let kind = SessionKind(rawValue: text) else { throw ValidationError("«\(text)» — неизвестный вид сессии") }
            return kind
        })
        var kind: SessionKind?

        func run() async throws {
            let programme = try await options.openDatabase().programme()
            let sessions = programme.sessions.filter { kind == nil || $0.kind == kind }.sorted { ($0.start, $0.room) < ($1.start, $1.room) }
            if output.json { return try Terminal.outputJSON(sessions) }
            let time = ForumTime(programme.edition.zone)
            Terminal.output(Terminal.table(
                ["Когда", "Зал", "Вид", "Сессия", "slug", ""],
                sessions.map { session in
                    ["\(time.day(session.start)) \(time.time(session.start))–\(time.time(session.end))",
                     programme.room(session.room)?.room.name ?? session.room, session.kind.russianName, session.title, session.slug,
                     session.isCancelled ? "отменена" : ""]
                }
            ))
            Terminal.message("Сессий: \(sessions.count)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Показать сессию черновика.")

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Argument(help: "slug сессии.") var slug: String

        func run() async throws {
            let programme = try await options.openDatabase().programme()
            guard let session = programme.session(slug) else { throw StoreError.notFound(.session, id: slug) }
            if output.json { return try Terminal.outputJSON(session) }
            Terminal.output(AgendaText.card(session, in: programme))
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Перенести сессию во времени или в другой зал (в черновике; публикует forum agenda publish)."
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Argument(help: "slug сессии.") var slug: String
        @Option(help: "Новое начало: ЧЧ:ММ или ГГГГ-ММ-ДД ЧЧ:ММ (длительность сохраняется).") var start: String?
        @Option(help: "Новое окончание: ЧЧ:ММ (в день начала).") var end: String?
        @Option(help: "slug нового зала.") var room: String?

        func validate() throws {
            guard start != nil || end != nil || room != nil else { throw ValidationError("укажите --start, --end или --room") }
        }

        func run() async throws {
            let database = try await options.openDatabase()
            let time = ForumTime(try await database.programme().edition.zone)
            let (start, end, room) = (start, end, room)
            let session = try await database.updateSession(slug) { session in
                let day = time.isoDay(session.start)
                if let start {
                    guard let moment = time.date(start, defaultDay: day) else {
                        throw ValidationFailure([FieldError(field: "start", message: "«\(start)» — ожидается ЧЧ:ММ или ГГГГ-ММ-ДД ЧЧ:ММ")])
                    }
                    session = session.moved(to: moment)
                }
                if let end {
                    guard let moment = time.date(time.isoDay(session.start), at: end) else {
                        throw ValidationFailure([FieldError(field: "end", message: "«\(end)» — ожидается ЧЧ:ММ")])
                    }
                    session.end = moment
                }
                if let room { session.room = room }
            }
            if output.json { return try Terminal.outputJSON(session) }
            Terminal.output(AgendaText.card(session, in: try await database.programme()))
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Отменить сессию (в черновике). Сессии не удаляются.")

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Argument(help: "slug сессии.") var slug: String

        func run() async throws {
            try await AgendaText.setStatus(.cancelled, of: slug, options: options, json: output.json)
        }
    }

    struct Reinstate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Вернуть отменённую сессию в программу (в черновике).")

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Argument(help: "slug сессии.") var slug: String

        func run() async throws {
            try await AgendaText.setStatus(.scheduled, of: slug, options: options, json: output.json)
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Опубликовать черновик как следующий выпуск программы (неизменяемый, с журналом изменений).",
            discussion: "Отказ (код 1), если проверка находит ошибки или с прошлого выпуска ничего не изменилось."
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Option(help: "Что это за выпуск («Перенос круглых столов павильона 57»).") var note: String

        func run() async throws {
            let release = try await options.openDatabase().publishProgramme(note: note)
            if output.json { return try Terminal.outputJSON(ReleaseSummary(release)) }
            for change in release.changes { Terminal.output(AgendaText.line(change)) }
            Terminal.message("Опубликован выпуск №\(release.number): сессий \(release.programme.sessions.count), изменений \(release.changes.count).")
        }
    }

    struct Releases: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Показать выпуски программы, новые сверху.")

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        func run() async throws {
            let releases = try await options.openDatabase().programmeReleases()
            if output.json { return try Terminal.outputJSON(releases.map(ReleaseSummary.init)) }
            Terminal.output(Terminal.table(
                ["№", "Опубликован", "Сессий", "Изменений", "Заметка"],
                releases.map { [String($0.number), Forum.moscowTime($0.publishedAt), String($0.programme.sessions.count), String($0.changes.count), $0.note] }
            ))
        }
    }
}

extension AgendaCommand {
    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Записать участника на сессию с ограниченным числом мест: место или очередь.",
            discussion: "Нельзя записаться на две сессии, идущие в одно время; повторная запись ничего не меняет."
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Argument(help: "slug сессии.") var slug: String
        @Argument(help: "Номер участника.") var participant: Int64

        func run() async throws {
            let enrollment = try await options.openDatabase().enroll(participant: participant, in: slug)
            if output.json { return try Terminal.outputJSON(enrollment) }
            Terminal.output(enrollment.waitlistPosition.map { "Участник №\(participant) в очереди на «\(slug)»: \($0)-й." }
                ?? "Участник №\(participant) записан на «\(slug)»: место есть.")
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Отменить запись; освободившееся место получает первый в очереди.")

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Argument(help: "slug сессии.") var slug: String
        @Argument(help: "Номер участника.") var participant: Int64

        func run() async throws {
            let withdrawal = try await options.openDatabase().withdraw(participant: participant, from: slug)
            if output.json { return try Terminal.outputJSON(withdrawal) }
            Terminal.output("Запись участника №\(participant) на «\(slug)» отменена."
                + (withdrawal.promoted.map { " Место получил №\($0) из очереди." } ?? ""))
        }
    }

    struct Enrollments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Показать записанных на сессию: места, затем очередь.")

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Argument(help: "slug сессии.") var slug: String

        func run() async throws {
            let enrollments = try await options.openDatabase().enrollments(in: slug)
            if output.json { return try Terminal.outputJSON(enrollments) }
            Terminal.output(Terminal.table(
                ["Участник", "Запись", "Когда"],
                enrollments.map { [String($0.participantID), $0.waitlistPosition.map { "очередь, \($0)-й" } ?? "место", Forum.moscowTime($0.createdAt)] }
            ))
            Terminal.message("Мест занято: \(enrollments.count { $0.state == .seated }), в очереди: \(enrollments.count { $0.state == .waitlisted })")
        }
    }

    struct People: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Спикеры и модераторы программы и их регистрации (по e-mail).",
            discussion: "--unlinked показывает тех, кого нельзя связать с регистрацией: без e-mail или с e-mail, под которым никто не зарегистрирован."
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Flag(help: "Только не связанные с регистрацией.") var unlinked = false

        func run() async throws {
            let people = try await options.openDatabase().programmePeople().filter { !unlinked || $0.participantID == nil }
            if output.json { return try Terminal.outputJSON(people) }
            Terminal.output(Terminal.table(
                ["Сессия", "Роль", "Имя", "Должность", "Участник"],
                people.map { [$0.session, $0.person.role.russianName, $0.person.name + ($0.person.placeholder ? " [заглушка]" : ""),
                              $0.person.position ?? "", $0.participantID.map { "№\($0)" } ?? "—"] }
            ))
            Terminal.message("Выступающих: \(people.count), не связаны с регистрацией: \(people.count { $0.participantID == nil })")
        }
    }
}

/// The programme in words, for the terminal.
enum AgendaText {
    static func line(_ change: ProgrammeChange) -> String {
        let word = switch change.kind {
        case .added: "добавлена"
        case .cancelled: "отменена"
        case .reinstated: "возвращена"
        case .moved: "перенесена"
        case .renamed: "переименована"
        case .speakersChanged: "выступающие"
        }
        return "\(word): «\(change.title)» (\(change.session)) — \(change.detail)"
    }

    static func card(_ session: Session, in programme: Programme) -> String {
        let time = ForumTime(programme.edition.zone)
        let place = programme.room(session.room).map { "\($0.room.name), \($0.building.name) (мест \($0.room.capacity))" } ?? session.room
        var lines = [
            "\(session.kind.russianName): \(session.title)" + (session.isCancelled ? " — ОТМЕНЕНА" : ""),
            "slug: \(session.slug)",
            "Когда: \(time.day(session.start)) \(time.time(session.start))–\(time.time(session.end))",
            "Где: \(place)",
        ]
        if let capacity = session.capacity { lines.append("Запись: \(capacity) мест") }
        if let track = session.track { lines.append("Тема: \(track)") }
        if !session.description.isEmpty { lines.append(session.description) }
        for person in session.people {
            lines.append("  \(person.role.russianName): \(person.name)" + (person.position.map { ", \($0)" } ?? "")
                + (person.placeholder ? " [заглушка]" : ""))
        }
        return lines.joined(separator: "\n")
    }

    static func setStatus(_ status: SessionStatus, of slug: String, options: ForumOptions, json: Bool) async throws {
        let database = try await options.openDatabase()
        let session = try await database.updateSession(slug) { $0.status = status }
        if json { return try Terminal.outputJSON(session) }
        Terminal.output(card(session, in: try await database.programme()))
    }
}
