import ArgumentParser
import ForumCredentials
import ForumServer
import ServiceLifecycle
import ForumStore
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
        defer { log.flush() }
        let logger = log.logger(
            label: "forumops", level: try configuration.read { $0.string(forKey: "log.level", as: Logger.Level.self, default: .info) }
        )
        let keyPath = try options.badgeKeyPath(in: configuration)
        // A key that is there but cannot be used stops the server here, before anything opens.
        let key: BadgeKeys.Key?
        do {
            key = try BadgeKeys.load(at: keyPath)
        } catch .missing {
            key = nil
        }
        let path = try options.databasePath(in: configuration)
        let database = try ForumDatabase.open(path: path)
        let badges = try key.map { BadgeSigner(key: $0, edition: try database.editionIdentity()) }
        if badges == nil {
            logger.warning("no badge signing key: scanned badges cannot be verified", metadata: ["key": "\(keyPath)"])
            Terminal.message("forumops: ВНИМАНИЕ — нет ключа подписи бейджей \(keyPath): сканы бейджей не проверяются. Создайте ключ (forum keys init) или верните сохранённый и перезапустите сервер.")
        }
        let scheme = settings.tls == nil ? "http" : "https"
        let application = try buildApplication(settings: settings, database: database, badges: badges, logger: logger) { host, port in
            Terminal.message("forumops: \(scheme)://\(host):\(port) · база \(path)")
        }
        try await buildServiceGroup(
            application: application, database: database, logger: logger, log: log, shutdownTimeout: settings.shutdownTimeout
        ).run()
        log.flush()
        Terminal.message("forumops: остановлен, база закрыта")
    }
}
