import ArgumentParser
import ForumCredentials
import ForumDomain
import ForumRoster
import ForumServer
import ForumStore
import Foundation

struct CheckInsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkins",
        abstract: "Вход: списки (вход на форум и залы сессий), их часы, журнал отметок, аннулирование.",
        subcommands: [Lists.self, Open.self, Restrict.self, Trail.self, Annul.self, Export.self]
    )

    struct Lists: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Списки входа: вход на форум, залы сессий и свои списки организаторов (обед, трансфер, выдача бейджей).",
            subcommands: [Show.self, Add.self, Edit.self, Remove.self],
            defaultSubcommand: Show.self
        )
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Показать списки входа и когда они открыты (по умолчанию).")

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        func run() async throws {
            let lists = try await options.openDatabase().checkInLists()
            if output.json { return try Terminal.outputJSON(lists) }
            let time = ForumTime()
            Terminal.output(Terminal.table(
                ["Список", "Название", "Открыт", "Категории", "Мест", "Проход"],
                lists.map { list in
                    let hours = list.hours.map { span in
                        let sameDay = time.day(span.start) == time.day(span.end)
                        return "\(time.day(span.start)) \(time.time(span.start))–" + (sameDay ? "" : "\(time.day(span.end)) ") + time.time(span.end)
                    } + (list.openUntil.map { ["вручную до \(Forum.moscowTime($0))"] } ?? [])
                    return [list.slug, list.title, hours.isEmpty ? "закрыт (нет программы)" : hours.joined(separator: ", "),
                            list.categories.map { $0.map(\.russianName).sorted().joined(separator: ", ") } ?? "все",
                            list.capacity.map(String.init) ?? "—", list.repeatable ? "много раз" : "один раз"]
                }
            ))
        }
    }

    /// `--from`, `--until`, `--category`, `--once`/`--many`: what `lists add` and `lists edit` share.
    struct ListOptions: ParsableArguments {
        @Option(help: "Название, его видят на стойке: «Обед 15 января», «Трансфер Москва-Сити».") var title: String?
        @Option(help: "С какого времени по Москве: ГГГГ-ММ-ДД ЧЧ:ММ (или ЧЧ:ММ сегодня).") var from: String?
        @Option(help: "До какого времени по Москве: ГГГГ-ММ-ДД ЧЧ:ММ (или ЧЧ:ММ того же дня, что --from).") var until: String?
        @Option(help: "Только эта категория (можно повторять): speaker, press… или по-русски.", transform: OptionValue.category)
        var category: [ParticipantCategory] = []
        @Flag(help: "--once: один проход на человека (выдача бейджей, обед); --many: сколько угодно (трансфер).")
        var admits: Admits?

        enum Admits: EnumerableFlag {
            case once, many
        }

        /// `--from` and `--until` as moments; `--until` ЧЧ:ММ falls on `--from`'s day.
        func hours() throws -> (opens: Date?, closes: Date?) {
            let opens = try from.map { try OptionValue.moment($0, option: "--from") }
            let closes = try until.map { try OptionValue.moment($0, option: "--until", onTheDayOf: opens ?? Date()) }
            return (opens, closes)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Добавить свой список: обед, трансфер, выдача бейджей — стойки работают с ним, как со входом, и офлайн.",
            discussion: """
                Пример: forum checkins lists add lunch-15 --title "Обед 15 января" --from "2027-01-15 12:30" --until 15:00 --once
                Стойка: forum desk --list lunch-15 …
                """
        )

        @OptionGroup var options: ForumOptions
        @Argument(help: "Короткое латинское имя списка (lunch-15, bus, badges).") var slug: String
        @OptionGroup var list: ListOptions
        @OptionGroup var output: JSONOption

        func validate() throws {
            guard list.title != nil, list.from != nil, list.until != nil else { throw ValidationError("укажите --title, --from и --until") }
        }

        func run() async throws {
            let (opens, closes) = try list.hours()
            let added = try await options.openDatabase().addCheckInList(
                slug, title: list.title!, opens: opens!, closes: closes!, categories: list.category.isEmpty ? nil : Set(list.category),
                repeatable: list.admits == .many
            )
            try show(added, json: output.json, done: "добавлен")
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Изменить свой список: меняется только указанное.",
            discussion: "--all-categories снова пускает все категории. Вход и залы сессий следуют программе: для них forum checkins open и restrict."
        )

        @OptionGroup var options: ForumOptions
        @Argument(help: "Имя списка.") var slug: String
        @OptionGroup var list: ListOptions
        @Flag(help: "Пускать все категории.") var allCategories = false
        @OptionGroup var output: JSONOption

        func validate() throws {
            if allCategories && !list.category.isEmpty { throw ValidationError("--all-categories или --category, не вместе") }
        }

        func run() async throws {
            let (opens, closes) = try list.hours()
            let categories: Set<ParticipantCategory>?? = allCategories ? .some(nil) : list.category.isEmpty ? nil : .some(Set(list.category))
            let edited = try await options.openDatabase().editCheckInList(
                slug, CheckInListChange(title: list.title, opens: opens, closes: closes, categories: categories, repeatable: list.admits.map { $0 == .many })
            )
            try show(edited, json: output.json, done: "изменён")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Удалить свой список, по которому ещё никого не отмечали (иначе закройте его: lists edit --until)."
        )

        @OptionGroup var options: ForumOptions
        @Argument(help: "Имя списка.") var slug: String

        func run() async throws {
            try await options.openDatabase().removeCheckInList(slug)
            Terminal.message("Список \(slug) удалён.")
        }
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Открыть список сейчас до указанного времени (репетиция накануне, перенесённый день)."
        )

        @OptionGroup var options: ForumOptions
        @Argument(help: "entrance, slug сессии или свой список.") var list: String
        @Option(help: "До какого времени по Москве: ЧЧ:ММ (сегодня) или ГГГГ-ММ-ДД ЧЧ:ММ.") var until: String

        func run() async throws {
            let moment = try OptionValue.moment(until, option: "--until")
            let opened = try await options.openDatabase().openCheckInList(list, until: moment)
            Terminal.output("Список «\(opened.title)» (\(opened.slug)) открыт до \(Forum.moscowTime(moment)) МСК.")
        }
    }

    struct Restrict: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Пускать по списку только эти категории (без --category — снова всех).")

        @OptionGroup var options: ForumOptions
        @Argument(help: "entrance, slug сессии или свой список.") var list: String
        @Option(help: "Категория (можно повторять): speaker, press… или по-русски.", transform: OptionValue.category)
        var category: [ParticipantCategory] = []

        func run() async throws {
            let restricted = try await options.openDatabase().restrictCheckInList(list, to: Set(category))
            Terminal.output("Список «\(restricted.title)»: " + (restricted.categories.map { $0.map(\.russianName).sorted().joined(separator: ", ") } ?? "все категории"))
        }
    }

    struct Trail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Журнал отметок, новые сверху: каждый скан, отказы тоже.")

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption
        @Option(help: "Номер участника.") var participant: Int64?
        @Option(help: "Список.") var list: String?
        @Option(help: "Сколько последних.") var limit = 50

        func run() async throws {
            let records = try await options.openDatabase().checkIns(participant: participant, list: list, limit: limit)
            if output.json { return try Terminal.outputJSON(records) }
            Terminal.output(Terminal.table(
                ["№", "Когда", "Список", "Стойка", "Токен", "Участник", "Ответ", ""],
                records.map { record in
                    let notes = [
                        record.source == "offline" ? "офлайн" : nil,
                        record.claimedScannedAt.map { "время стойки \(Forum.moscowTime($0)) не принято" },
                        record.annulledAt.map { _ in "аннулирована (\(record.annulledBy ?? "—")): \(record.annulReason ?? "")" },
                    ]
                    return [String(record.id), Forum.moscowTime(record.scannedAt), record.list, record.desk, record.token ?? "—",
                            record.participantID.map(String.init) ?? "—", record.result.russianName, notes.compactMap { $0 }.joined(separator: "; ")]
                }
            ))
        }
    }

    struct Annul: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Аннулировать отметку; она остаётся в журнале с причиной.")

        @OptionGroup var options: ForumOptions
        @Argument(help: "Номер отметки из forum checkins list.") var id: Int64
        @Option(help: "Причина.") var reason: String

        func run() async throws {
            let user = ProcessInfo.processInfo.environment["USER"] ?? ""
            let record = try await options.openDatabase().annulCheckIn(id: id, reason: reason, by: nil, user: user)
            Terminal.output("Отметка №\(record.id) аннулирована: \(record.annulReason ?? "").")
        }
    }
}

extension CheckInsCommand {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Отчёт для Excel (CSV, UTF-8 с BOM, «;», или книга .xlsx): кто когда пришёл, посещаемость сессий, неявка по регионам.",
            discussion: "arrivals — отмеченные на входе и в залах: время по Москве, список, стойка, токен; sessions — места, записи, лист ожидания, в зале; no-shows — по регионам: зарегистрированы, пришли, не пришли."
        )

        @OptionGroup var options: ForumOptions
        @Argument(help: "arrivals, sessions или no-shows.") var report: AttendanceReport = .arrivals
        @Option(help: "Только этот список (для arrivals): entrance или slug сессии.") var list: String?
        @Option(name: .shortAndLong, help: "Файл для записи (по умолчанию stdout; для xlsx обязателен).") var output: String?
        @Option(help: "csv или xlsx (книга Excel: числа и даты — числа и даты, закреплённая строка заголовков).") var format: ExportFormat = .csv

        func validate() throws { try ExportFormat.check(format, output: output) }

        func run() async throws {
            let database = try await options.openDatabase()
            let table = try await attendanceReport(report, from: database, list: list)
            try writeOutput(try format.data(table, title: try await database.forumName()), to: output)
            Terminal.message("Отчёт \(report.rawValue) выгружен" + (output.map { ": \($0)" } ?? ""))
        }
    }
}

extension AttendanceReport: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {
    /// A workbook is not for a terminal: it needs a file.
    static func check(_ format: ExportFormat, output: String?) throws {
        if format == .xlsx, output == nil || output == "-" { throw ValidationError("--format xlsx: укажите файл, -o ФАЙЛ.xlsx") }
    }
}

/// Prints a list that was added or changed, or its JSON.
private func show(_ list: CheckInList, json: Bool, done: String) throws {
    if json { return try Terminal.outputJSON(list) }
    let hours = list.hours.map { "\(Forum.moscowTime($0.start))–\(Forum.moscowTime($0.end)) МСК" }.joined(separator: ", ")
    let categories = list.categories.map { $0.map(\.russianName).sorted().joined(separator: ", ") } ?? "все категории"
    Terminal.message("Список «\(list.title)» (\(list.slug)) \(done): \(hours); \(categories); \(list.repeatable ? "проход много раз" : "один проход на человека").")
}
