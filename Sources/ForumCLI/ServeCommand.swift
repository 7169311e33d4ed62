import ArgumentParser
import ForumBadges
import ForumServer
import ServiceLifecycle
import ForumStore
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Запустить HTTP-сервер (API участников, /healthz). Останавливается по SIGTERM/SIGINT, дождавшись запросов и закрыв базу."
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
        var logger = Logger(label: "forumops")
        logger.logLevel = try configuration.read { $0.string(forKey: "log.level", as: Logger.Level.self, default: .info) }
        let path = try options.databasePath(in: configuration)
        let database = try ForumDatabase.open(path: path)
        // Without a key the server runs; the QR routes say how to create one.
        let badges = try? BadgeSigner(keyFile: try options.badgeKeyPath(in: configuration))
        let application = buildApplication(settings: settings, database: database, badges: badges, logger: logger) { host, port in
            Terminal.message("forumops: http://\(host):\(port) · база \(path)")
        }
        try await buildServiceGroup(application: application, database: database, logger: logger).run()
        Terminal.message("forumops: остановлен, база закрыта")
    }
}
