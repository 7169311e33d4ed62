import ArgumentParser
import ForumDomain
import ForumRoster
import ForumServer
import ForumStore
import Foundation

struct ParticipantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "participants",
        abstract: "Участники: поиск, регистрация, правка, отмена, импорт и экспорт CSV.",
        subcommands: [List.self, Show.self, Add.self, Update.self, Cancel.self, Reinstate.self, ImportCommand.self, Export.self, Duplicates.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Найти участников. Без --page выводит всех подходящих.",
            discussion: "Поиск без учёта регистра, «ё» = «е»: forum participants list --surname кузьм --region 16"
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var filter: FilterOptions
        @OptionGroup var output: JSONOption

        @Option(help: "Номер страницы (с 1).")
        var page: Int?

        @Option(help: "Участников на странице (1…\(Page.maximumSize)).")
        var perPage = 50

        /// `--page` and `--per-page` are option values: out of range is wrong usage.
        private var requestedPage: Page {
            page.map { Page(number: $0, size: perPage) } ?? Page(number: 1, size: nil)
        }

        func validate() throws {
            do {
                _ = try requestedPage.validated()
            } catch {
                throw ValidationError(error.errors.map { "--\($0.field == "perPage" ? "per-page" : $0.field): \($0.message)" }.joined(separator: "; "))
            }
        }

        func run() async throws {
            var filter = self.filter.filter
            filter.page = requestedPage
            let found = try await options.openDatabase().participants(matching: filter)
            if output.json {
                return try Terminal.outputJSON(PageOf(items: found.items.map { ParticipantDocument($0) }, total: found.total, page: filter.page))
            }
            Terminal.output(Terminal.table(
                ["№", "ФИО", "Регион", "Муниципальное образование", "Категория", "Статус"],
                found.items.map {
                    [String($0.id), $0.details.fullName, $0.details.regionCode, $0.details.municipality,
                     $0.details.category.russianName, $0.status == .registered ? "" : "отменён"]
                }
            ))
            Terminal.message("Найдено: \(found.total)" + (page.map { ", страница \($0)" } ?? ""))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Показать участника.")

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        @Argument(help: "Номер участника.")
        var id: Int64

        func run() async throws {
            let configuration = try await options.configuration()
            let settings = try configuration.read { try ServerSettings(reader: $0.scoped(to: "http")) }
            let participant = try await ForumDatabase.open(path: try options.databasePath(in: configuration)).participant(id: id)
            try print(participant, json: output.json, feed: settings.personalCalendarURL(feedToken: participant.feedToken))
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Зарегистрировать участника. Тот же e-mail или номер заявки — тот же человек: данные обновятся."
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var fields: FieldOptions
        @OptionGroup var output: JSONOption

        func run() async throws {
            let registration = try await options.openDatabase().register(RegistrationRow(fields.form))
            let id = registration.participant.id
            let message = switch registration.result {
            case .created: "Участник №\(id) зарегистрирован."
            case .updated: "Участник №\(id) уже был зарегистрирован; данные обновлены."
            case .unchanged: "Участник №\(id) уже зарегистрирован с теми же данными."
            }
            Terminal.message(message)
            for other in registration.likelyDuplicates {
                Terminal.message("Внимание: возможно, это тот же человек, что №\(other) (forum participants show \(other)).")
            }
            try print(registration.participant, json: output.json)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Изменить данные участника: меняются только указанные поля (пустое значение очищает необязательное)."
        )

        @OptionGroup var options: ForumOptions
        @Argument(help: "Номер участника.")
        var id: Int64
        @OptionGroup var fields: FieldOptions
        @OptionGroup var output: JSONOption

        func run() async throws {
            let participant = try await options.openDatabase().updateParticipant(id: id, with: fields.form)
            try print(participant, json: output.json)
        }
    }

    struct Cancel: StatusChangeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Отменить регистрацию (повторная отмена ничего не меняет).",
            discussion: "С --notify участнику уходит письмо, что регистрация отменена и прежний билет не действует (настройки mail.*)."
        )
        static let done = "отменена"

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Argument(help: "Номер участника.") var id: Int64
        @Flag(help: "Сообщить участнику об отмене по почте.") var notify = false

        static func change(id: Int64, in database: ForumDatabase) async throws -> Participant {
            try await database.cancelParticipant(id: id)
        }

        func run() async throws {
            // The relay's settings are checked before the registration changes.
            let mailer = notify ? try await TicketMailer.open(options, needsRelay: true) : nil
            let participant = try await changeAndPrint()
            guard let mailer else { return }
            let report = try await mailer.mail.post(dryRunFolder: nil).deliver([participant], label: "Письма") { participant in
                try mailer.letter.cancellation(for: participant)
            } delivered: { _, _ in }
            try show(report, json: false, verb: "Письмо об отмене отправлено, писем")
        }
    }

    struct Reinstate: StatusChangeCommand {
        static let configuration = CommandConfiguration(abstract: "Восстановить отменённую регистрацию.")
        static let done = "восстановлена"

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Argument(help: "Номер участника.") var id: Int64

        static func change(id: Int64, in database: ForumDatabase) async throws -> Participant {
            try await database.reinstateParticipant(id: id)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Выгрузить участников в CSV для Excel (UTF-8 с BOM, «;») или в книгу Excel (--format xlsx); файл можно снова импортировать."
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var filter: FilterOptions

        @Option(name: .shortAndLong, help: "Файл для записи (по умолчанию stdout; для xlsx обязателен).")
        var output: String?

        @Option(help: "csv или xlsx (книга Excel с закреплённой строкой заголовков).")
        var format: ExportFormat = .csv

        func validate() throws { try ExportFormat.check(format, output: output) }

        func run() async throws {
            var filter = self.filter.filter
            filter.page = Page(number: 1, size: nil)
            let database = try await options.openDatabase()
            let found = try await database.participants(matching: filter)
            try writeOutput(try format.data(RosterWriter.exportTable(found.items), title: try await database.forumName()), to: output)
            Terminal.message("Выгружено участников: \(found.total)")
        }
    }
}

extension ParticipantsCommand {
    struct Duplicates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Показать возможные дубликаты: одинаковые ФИО и муниципальное образование у разных регистраций.",
            discussion: "Ничего не объединяет: решите сами и отмените лишнюю регистрацию (forum participants cancel). Код выхода 0, даже если дубликаты есть."
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        func run() async throws {
            let groups = try await options.openDatabase().likelyDuplicateGroups()
            if output.json { return try Terminal.outputJSON(groups.map { $0.map { ParticipantDocument($0) } }) }
            for group in groups {
                Terminal.output(Terminal.table(
                    ["№", "ФИО", "Муниципальное образование", "E-mail", "Номер заявки"],
                    group.map { [String($0.id), $0.details.fullName, $0.details.municipality, $0.details.email, $0.details.externalID ?? ""] }
                ) + "\n")
            }
            Terminal.message("Групп возможных дубликатов: \(groups.count)")
        }
    }
}

/// A command that changes a registration's status and shows the result.
protocol StatusChangeCommand: AsyncParsableCommand {
    var options: ForumOptions { get }
    var output: JSONOption { get }
    var id: Int64 { get }
    /// «отменена», «восстановлена».
    static var done: String { get }
    static func change(id: Int64, in database: ForumDatabase) async throws -> Participant
}

extension StatusChangeCommand {
    func run() async throws {
        try await changeAndPrint()
    }

    @discardableResult
    func changeAndPrint() async throws -> Participant {
        let participant = try await Self.change(id: id, in: options.openDatabase())
        if !output.json { Terminal.message("Регистрация №\(participant.id) \(Self.done).") }
        try print(participant, json: output.json)
        return participant
    }
}

/// Prints one participant as a card, or as JSON; `feed` is their personal calendar's address.
private func print(_ participant: Participant, json: Bool, feed: String? = nil) throws {
    if json { return try Terminal.outputJSON(ParticipantFeedDocument(participant: ParticipantDocument(participant), feed: feed)) }
    let details = participant.details
    let lines: [(String, String?)] = [
        ("№", String(participant.id)),
        ("ФИО", details.fullName),
        ("Категория", details.category.russianName),
        ("Статус", participant.status == .registered ? "зарегистрирован" : "отменён"),
        ("E-mail", details.email),
        ("Телефон", details.phone.map(PhoneFormat.readable)),
        ("Регион", "\(details.regionCode) \(details.region.name)"),
        ("Муниципальное образование", details.municipality),
        ("Организация", details.organisation),
        ("Должность", details.position),
        ("Номер заявки", details.externalID),
        ("Серия бейджа", String(participant.badgeSerial)),
        ("Создан", Forum.moscowTime(participant.createdAt) + " МСК"),
        ("Изменён", Forum.moscowTime(participant.updatedAt) + " МСК"),
        ("Личное расписание", feed),
    ]
    Terminal.output(lines.compactMap { label, value in value.map { "\(label): \($0)" } }.joined(separator: "\n"))
}

/// A participant's JSON with, from `show`, their personal calendar's address.
private struct ParticipantFeedDocument: Encodable {
    var participant: ParticipantDocument
    var feed: String?

    func encode(to encoder: any Encoder) throws {
        try participant.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encodeIfPresent(feed, forKey: .personalCalendar)
    }

    private enum Keys: String, CodingKey {
        case personalCalendar
    }
}

/// The search options shared by `list` and `export`. A value that does not parse is wrong
/// usage (exit 2), like any other option value.
struct FilterOptions: ParsableArguments {
    @Option(name: .customLong("search"), help: "Слова из ФИО, e-mail, муниципального образования или организации (начала слов).")
    var text: String?

    @Option(help: "Начало фамилии.")
    var surname: String?

    @Option(help: "Регион: код или название.", transform: OptionValue.region)
    var region: String?

    @Option(help: "Категория: \(ParticipantCategory.allCases.map(\.rawValue).joined(separator: ", ")) или по-русски.", transform: OptionValue.category)
    var category: ParticipantCategory?

    @Option(help: "Статус: registered или cancelled.", transform: { text in
        guard let status = ParticipantStatus(rawValue: text) else { throw ValidationError("«\(text)» — ожидается registered или cancelled") }
        return status
    })
    var status: ParticipantStatus?

    var filter: ParticipantFilter {
        ParticipantFilter(text: text, surname: surname, regionCode: region, category: category, status: status)
    }
}

/// One option per participant field, shared by `add` and `update`.
struct FieldOptions: ParsableArguments {
    @Option(help: "Фамилия.") var lastName: String?
    @Option(help: "Имя.") var firstName: String?
    @Option(help: "Отчество.") var patronymic: String?
    @Option(help: "E-mail.") var email: String?
    @Option(help: "Телефон, например +7 912 345-67-89.") var phone: String?
    @Option(help: "Регион: код субъекта РФ или название.") var region: String?
    @Option(help: "Муниципальное образование.") var municipality: String?
    @Option(help: "Организация.") var organisation: String?
    @Option(help: "Должность.") var position: String?
    @Option(help: "Категория (participant, speaker, moderator, guest_of_honour, press, organiser, volunteer, staff или по-русски).")
    var category: String?
    @Option(help: "Номер заявки из регистрационной формы.") var externalId: String?

    var form: ParticipantForm {
        ParticipantForm([
            .lastName: lastName, .firstName: firstName, .patronymic: patronymic, .email: email, .phone: phone,
            .regionCode: region, .municipality: municipality, .organisation: organisation, .position: position,
            .category: category, .externalID: externalId,
        ])
    }
}

