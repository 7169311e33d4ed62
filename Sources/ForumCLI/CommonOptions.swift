import ArgumentParser
import ForumBadges
import ForumCredentials
import ForumStore

/// `--config` and `--database`, taken by every command that touches a forum's data.
struct ForumOptions: ParsableArguments {
    @Option(help: "Файл настроек JSON (по умолчанию Config/forum.json, переменная FORUM_CONFIG).")
    var config: String?

    @Option(help: "Файл базы данных форума (переменная FORUM_DATABASE, ключ database.path; по умолчанию forum.sqlite).")
    var database: String?

    /// The layered configuration (`--config`, `FORUM_…`, the file).
    func configuration() async throws -> ForumConfiguration {
        try await ForumConfiguration.load(file: config)
    }

    /// `--database`, else the configured path.
    func databasePath(in configuration: ForumConfiguration) throws -> String {
        try database ?? configuration.databasePath()
    }

    /// The badge signing key's file: `badges.keyPath` (`FORUM_BADGES_KEY_PATH`), else beside
    /// the database (`forum.key` for `forum.sqlite`).
    func badgeKeyPath(in configuration: ForumConfiguration) throws -> String {
        let configured = try configuration.read { $0.string(forKey: "badges.keyPath") }
        return try configured ?? BadgeKeys.defaultPath(besideDatabase: databasePath(in: configuration))
    }

    /// The badge layout: `badges.layout` (`FORUM_BADGES_LAYOUT`), by default `Config/badge.json`.
    func badgeLayout(in configuration: ForumConfiguration) throws -> BadgeLayout {
        try BadgeLayout.load(path: try configuration.read { $0.string(forKey: "badges.layout", default: "Config/badge.json") })
    }

    /// The badge signer and the database, the key read first (without one nothing is opened).
    func openForBadges() async throws -> (database: ForumDatabase, signer: BadgeSigner, configuration: ForumConfiguration) {
        let configuration = try await configuration()
        let key = try BadgeKeys.load(at: try badgeKeyPath(in: configuration))
        let database = try ForumDatabase.open(path: try databasePath(in: configuration))
        return (database, BadgeSigner(key: key, edition: try database.editionIdentity()), configuration)
    }

    /// Opens (creating and migrating if needed) the forum database.
    func openDatabase() async throws -> ForumDatabase {
        try ForumDatabase.open(path: databasePath(in: await configuration()))
    }
}

/// `--json`: print only JSON on standard output.
struct JSONOption: ParsableArguments {
    @Flag(help: "Вывести результат в JSON (только JSON в stdout; сообщения — в stderr).")
    var json = false
}
