import ArgumentParser
import ForumDomain
import ForumStore
import Foundation

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Файл базы данных форума: создание, обновление схемы, состояние.",
        subcommands: [Migrate.self, Status.self]
    )

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Создать базу (права 0600) или обновить её схему до текущей версии.",
            discussion: """
                Сначала говорит, какие миграции применит. База, которую обновила более новая версия forumops, не открывается и не меняется (код выхода 1).
                Перед обновлением схемы в день форума сделайте копию: forum backup --out ФАЙЛ.
                """
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        @Flag(help: "Только сказать, какие миграции будут применены, ничего не меняя.")
        var dryRun = false

        func run() async throws {
            let path = try options.databasePath(in: await options.configuration())
            let pending = try ForumDatabase.pendingMigrations(path: path)
            if !output.json {
                Terminal.message(pending.isEmpty
                    ? "База \(path): схема актуальна, применять нечего."
                    : "База \(path): будут применены миграции (\(pending.count)): \(pending.joined(separator: ", ")).")
            }
            if dryRun {
                if output.json { try Terminal.outputJSON(["database": path, "pending": pending.joined(separator: ", ")]) }
                return
            }
            let database = try ForumDatabase.open(path: path)
            let migrations = try await database.appliedMigrations()
            if output.json {
                try Terminal.outputJSON(["database": path, "applied": pending.joined(separator: ", "), "migrations": migrations.joined(separator: ", ")])
            } else {
                Terminal.output("База \(path) готова; версия схемы: \(migrations.last ?? "—") (миграций \(migrations.count))")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Версия схемы, размер файла, сколько участников, сессий и отметок, последняя резервная копия."
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        func run() async throws {
            let status = try await options.openDatabase().status()
            if output.json { return try Terminal.outputJSON(status) }
            let backup = status.lastBackup.map { "\(Forum.moscowTime($0.madeAt, seconds: true)) — \($0.path) (\(Self.size($0.bytes)))" }
            Terminal.output("""
                База:              \(status.path)
                Схема:             \(status.migrations.last ?? "—") (применено \(status.migrations.count) из \(status.knownMigrations))
                Размер:            \(Self.size(status.bytes)) + журнал WAL \(Self.size(status.walBytes))
                Участники:         \(status.registered) зарегистрировано, \(status.cancelled) отменено
                Сессии программы:  \(status.sessions)
                Отметки входа:     \(status.checkIns)
                Действующие токены: \(status.liveTokens)
                Последняя копия:   \(backup ?? "не делалась — forum backup --out ФАЙЛ")
                """)
        }

        static func size(_ bytes: Int64) -> String {
            bytes < 1 << 20 ? "\(bytes / 1024) КиБ" : String(format: "%.1f МиБ", Double(bytes) / Double(1 << 20))
        }
    }
}
