import ArgumentParser
import ForumDomain
import ForumStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Цифры дня: кто внутри, приход по 10 минут, прогноз очереди и сколько стоек открыть, стойки, залы, регионы.",
        discussion: """
            Прогноз очереди — модель M/M/c (Эрланг C): приход за последние 5 минут с поправкой на рост, \
            скорость каждой стойки — медиана промежутков между её сканами. --watch перерисовывает экран, пока не нажмёте Ctrl+C.
            """
    )

    @OptionGroup var options: ForumOptions
    @OptionGroup var output: JSONOption
    @Flag(help: "Обновлять экран каждые --every секунд.") var watch = false
    @Option(help: "Период обновления для --watch, секунд (1…600).") var every = 5
    @Option(help: "Цифры на момент по Москве: ЧЧ:ММ (сегодня) или ГГГГ-ММ-ДД ЧЧ:ММ; по умолчанию — сейчас.") var at: String?

    func validate() throws {
        guard (1...600).contains(every) else { throw ValidationError("--every: \(every) — от 1 до 600 секунд") }
        if watch && output.json { throw ValidationError("--watch и --json вместе не работают: для скрипта вызывайте forum stats --json по расписанию") }
        if watch && at != nil { throw ValidationError("--watch показывает «сейчас»: без --at") }
    }

    func run() async throws {
        let database = try await options.openDatabase()
        let moment = try at.map { try OptionValue.moment($0, option: "--at") }
        repeat {
            let stats = try await database.stats(at: moment ?? Date())
            if output.json { return try Terminal.outputJSON(stats) }
            if watch { Terminal.clearScreen() }
            Terminal.output(StatsReport(stats).text)
            if watch { try await Task.sleep(for: .seconds(every)) }
        } while watch
    }
}

/// The figures as terminal text, section by section.
struct StatsReport {
    let stats: ForumStats

    init(_ stats: ForumStats) {
        self.stats = stats
    }

    var text: String {
        var sections = [
            "Форум на \(Forum.moscowTime(stats.generatedAt)) МСК: зарегистрировано \(stats.registered), на входе \(stats.registered - stats.noShows), не пришли \(stats.noShows)",
            Terminal.table(["Список", "Внутри", "Отказы", "Аннулировано"], stats.lists.map { list in
                [list.title, String(list.checkedIn), list.refusalSummary, String(list.annulled)]
            }),
        ]
        let forecasts = stats.lists.compactMap { list in
            list.forecast.map { "  \($0.advice)\n    \($0.summary)" }
        }
        if !forecasts.isEmpty { sections.append("Очередь (модель M/M/c):\n" + forecasts.joined(separator: "\n")) }
        for list in stats.lists where !list.arrivals.isEmpty {
            let peak = max(1, list.arrivals.map(\.count).max() ?? 1)
            sections.append("Приход по 10 минут — \(list.title):\n" + list.arrivals.suffix(18).map { bucket in
                "  \(bucket.label)  " + String(repeating: "█", count: (bucket.count * 40 + peak - 1) / peak) + " \(bucket.count)"
            }.joined(separator: "\n"))
        }
        if !stats.desks.isEmpty {
            sections.append(Terminal.table(["Стойка", "Токен", "Сканов", "За 10 мин", "В минуту", "Отказы", "Последний скан", "Офлайн", "Состояние"], stats.desks.map { desk in
                [desk.desk, desk.token ?? "—", String(desk.scans), String(desk.scansLast10Minutes), desk.scansPerMinute.oneDecimal, String(desk.refusals),
                 Forum.moscowTime(desk.lastSeen), String(desk.lateUploads), desk.state.russianName]
            }))
        }
        sections.append(Terminal.table(["Категория", "Зарегистрировано", "Пришли", "Доля"], stats.categories.map(Self.group)))
        sections.append(Terminal.table(["Регион", "Зарегистрировано", "Пришли", "Доля", "Не пришли"], stats.regions.map { Self.group($0) + [String($0.noShows)] }))
        if !stats.sessions.isEmpty {
            sections.append(Terminal.table(["Сессия", "Начало", "Мест", "Записаны", "Лист ожидания", "В зале"], stats.sessions.map { session in
                [session.title, Forum.moscowTime(session.start), session.seats.map(String.init) ?? "—", String(session.signedUp), String(session.waitlisted),
                 String(session.checkedIn)]
            }))
        }
        return sections.joined(separator: "\n\n")
    }

    private static func group(_ group: GroupStats) -> [String] {
        [group.name, String(group.registered), String(group.arrived), "\(group.share.wholePercent) %"]
    }

}
