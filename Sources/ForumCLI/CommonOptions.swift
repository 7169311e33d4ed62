import ArgumentParser
import ForumStore

/// `--config` and `--database`, taken by every command that touches a forum's data.
struct ForumOptions: ParsableArguments {
    @Option(help: "Файл настроек JSON (по умолчанию Config/forum.json, переменная FORUM_CONFIG).")
    var config: String?

    @Option(help: "Файл базы данных форума (переменная FORUM_DATABASE, ключ database.path; по умолчанию forum.sqlite).")
    var database: String?

    /// The configuration with `--database` applied.
    func configuration() async throws -> ForumConfiguration {
        var configuration = try await ForumConfiguration.load(file: config)
        if let database { configuration.databasePath = database }
        return configuration
    }

    /// Opens (creating and migrating if needed) the forum database.
    func openDatabase() async throws -> ForumDatabase {
        try ForumDatabase(path: try await configuration().databasePath)
    }
}

/// `--json`: print only JSON on standard output.
struct JSONOption: ParsableArguments {
    @Flag(help: "Вывести результат в JSON (только JSON в stdout; сообщения — в stderr).")
    var json = false
}
