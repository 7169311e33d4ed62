import ArgumentParser
import ForumCredentials
import ForumServer
import ServiceLifecycle
import ForumStore
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Запустить HTTP(S)-сервер forumops: API (участники, программа, бейджи, вход), ленты программы, /healthz.",
        discussion: """
            HTTPS: укажите сертификат и его ключ в PEM — ключи http.tls.certificate и http.tls.key (переменные FORUM_HTTP_TLS_CERTIFICATE и FORUM_HTTP_TLS_KEY).

            Ключ подписи бейджей (forum.key рядом с базой или badges.keyPath) читается при запуске: если файл есть, но не читается, повреждён или доступен не только владельцу, сервер не запускается. Без файла сервер работает, но сканы бейджей не проверяются (ответ cannot_verify) — это видно в журнале и на /healthz.

            Останавливается по SIGTERM/SIGINT: дожидается запросов (не дольше http.shutdownTimeout, 10 с) и закрывает базу.
            """
    )

    @OptionGroup var options: ForumOptions

    @Option(help: "Адрес (переменная FORUM_HTTP_HOST, по умолчанию 127.0.0.1).")
    var host: String?

    @Option(help: "Порт 1…65535 (переменная FORUM_HTTP_PORT, по умолчанию 8080; 0 — любой свободный).")
    var port: Int?

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port: \(port) — порт от 1 до 65535") }
    }

    func run() async throws {
        let configuration = try await options.configuration()
        var settings = try configuration.read { try ServerSettings(reader: $0.scoped(to: "http")) }
        settings.badgeLayout = try options.badgeLayout(in: configuration)
        if let host { settings.host = host }
        if let port { settings.port = port }
        let log = ServerLog()
        let logger = log.logger(
            label: "forumops", level: try configuration.read { $0.string(forKey: "log.level", as: Logger.Level.self, default: .info) }
        )
        let keyPath = try options.badgeKeyPath(in: configuration)
        // A key that is there but cannot be used stops the server here, before anything opens.
        let key = try Self.badgeKey(at: keyPath)
        let path = try options.databasePath(in: configuration)
        // Held until the process ends: a second server and `forum restore` see the forum in use.
        let lock = try ServingLock(path: path)
        let database = try ForumDatabase.open(path: path)
        let schedule = try Self.backupSchedule(in: configuration, database: path)
        let backups = schedule.map { BackupScheduler(database: database, schedule: $0, logger: logger) }
        let badges = try key.map { BadgeSigner(key: $0, edition: try database.editionIdentity()) }
        if badges == nil {
            logger.warning("no badge signing key: scanned badges cannot be verified", metadata: ["key": "\(keyPath)"])
            Terminal.message("forumops: ВНИМАНИЕ — нет ключа подписи бейджей \(keyPath): сканы бейджей не проверяются. Создайте ключ (forum keys init) или верните сохранённый и перезапустите сервер.")
        }
        let scheme = settings.tls == nil ? "http" : "https"
        let application = try buildApplication(settings: settings, database: database, badges: badges, backups: backups, logger: logger) { host, port in
            Terminal.message("forumops: \(scheme)://\(host):\(port) · база \(path)")
        }
        try await buildServiceGroup(
            application: application, database: database, logger: logger, log: log, shutdownTimeout: settings.shutdownTimeout
        ).run()
        lock.release()  // once the database is closed
        log.flush()
        Terminal.message("forumops: остановлен, база закрыта")
    }

    /// `backup.every` (minutes; none or 0: no scheduled backups), `backup.folder` (by default
    /// `backups` beside the database), `backup.keep` (by default 24).
    static func backupSchedule(in configuration: ForumConfiguration, database: String) throws -> BackupSchedule? {
        let (every, folder, keep) = try configuration.read { reader in
            (reader.int(forKey: "backup.every", default: 0), reader.string(forKey: "backup.folder"), reader.int(forKey: "backup.keep", default: 24))
        }
        guard every != 0 else { return nil }
        guard (1...1440).contains(every) else { throw ValidationError("backup.every: \(every) — минуты от 1 до 1440 (0 — без копий по расписанию)") }
        guard (1...10_000).contains(keep) else { throw ValidationError("backup.keep: \(keep) — сколько копий хранить, от 1") }
        let beside = ((database as NSString).deletingLastPathComponent as NSString).appendingPathComponent("backups")
        return BackupSchedule(every: .seconds(every * 60), folder: folder ?? beside, keep: keep)
    }

    /// The badge key, or `nil` when there is no key file; any other failure throws.
    static func badgeKey(at path: String) throws -> BadgeKeys.Key? {
        do {
            return try BadgeKeys.load(at: path)
        } catch .missing {
            return nil
        }
    }
}
