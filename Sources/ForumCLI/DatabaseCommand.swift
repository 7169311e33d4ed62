import ArgumentParser

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Файл базы данных форума.",
        subcommands: [Migrate.self]
    )

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Создать базу (права 0600) или обновить её схему до текущей версии."
        )

        @OptionGroup var options: ForumOptions
        @OptionGroup var output: JSONOption

        func run() async throws {
            let database = try await options.openDatabase()
            let migrations = try await database.appliedMigrations()
            if output.json {
                try Terminal.outputJSON(["database": database.path ?? ":memory:", "migrations": migrations.joined(separator: ", ")])
            } else {
                Terminal.output("База \(database.path ?? ":memory:") готова; миграции: \(migrations.joined(separator: ", "))")
            }
        }
    }
}
