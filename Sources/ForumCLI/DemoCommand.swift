import ArgumentParser
import ForumRoster
import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

/// Writes to the file, or to stdout when `path` is `nil` or `-`. The file is readable by its
/// owner only (0600): rosters carry e-mails and phones.
func writeOutput(_ data: Data, to path: String?) throws {
    guard let path, path != "-" else {
        FileHandle.standardOutput.write(data)
        return
    }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0, fchmod(descriptor, 0o600) == 0 else {
        throw CLIError.refused("\(path): не удаётся записать файл: \(String(cString: strerror(errno)))")
    }
    let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    do {
        try file.write(contentsOf: data)
        try file.synchronize()
    } catch {
        throw CLIError.refused("\(path): не удаётся записать файл: \(error.localizedDescription)")
    }
}
