import ArgumentParser
import ForumServer
import ForumStore
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Запустить HTTP-сервер (API участников, /healthz). Останавливается по SIGTERM/SIGINT, дождавшись запросов."
    )

    @OptionGroup var options: ForumOptions

    @Option(help: "Адрес (переменная FORUM_HTTP_HOST, по умолчанию 127.0.0.1).")
    var host: String?

    @Option(help: "Порт (переменная FORUM_HTTP_PORT, по умолчанию 8080).")
    var port: Int?

    func run() async throws {
        let configuration = try await options.configuration()
        var logger = Logger(label: "forumops")
        logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
        let database = try ForumDatabase(path: configuration.databasePath)
        let settings = ServerSettings(
            host: host ?? configuration.httpHost, port: port ?? configuration.httpPort,
            maxBodyBytes: configuration.maxBodyBytes, forumName: configuration.forumName
        )
        let application = buildApplication(settings: settings, database: database, logger: logger)
        Terminal.message("forumops: http://\(settings.host):\(settings.port) · база \(configuration.databasePath)")
        try await application.runService()
        try database.close()
        Terminal.message("forumops: остановлен, база закрыта")
    }
}
