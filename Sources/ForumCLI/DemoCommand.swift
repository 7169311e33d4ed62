import ArgumentParser
import ForumRoster
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Демонстрационные данные.",
        subcommands: [Roster.self]
    )

    struct Roster: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Написать реалистичный список участников в CSV (формат импорта), одинаковый при одном --seed."
        )

        @Option(help: "Сколько участников.")
        var count = 7500

        @Option(help: "Зерно генератора: одно зерно — один и тот же список.")
        var seed: UInt64 = 2027

        @Option(name: .shortAndLong, help: "Файл для записи (по умолчанию stdout).")
        var output: String?

        func validate() throws {
            guard count >= 0 else { throw ValidationError("--count не может быть отрицательным") }
        }

        func run() async throws {
            var roster = DemoRoster(seed: seed)
            let data = try RosterWriter.csv(columns: RosterWriter.formColumns, rows: roster.forms(count: count).map(RosterWriter.cells))
            try writeOutput(data, to: output)
            if output != nil { Terminal.message("Записано участников: \(count) → \(output!)") }
        }
    }
}
