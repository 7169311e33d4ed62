import ForumStore
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// The server's services in one `ServiceGroup`: SIGTERM or SIGINT (or a failing server) stops
/// the HTTP server first — it stops accepting and finishes the requests in flight, for at most
/// `shutdownTimeout` — and then closes the database.
public func buildServiceGroup(
    application: some ApplicationProtocol, database: ForumDatabase, logger: Logger, log: ServerLog? = nil,
    signals: [UnixSignal] = [.sigterm, .sigint], shutdownTimeout: Duration = .seconds(10)
) -> ServiceGroup {
    // Shut down in reverse order: the server, then the database, then the log's last lines.
    let services: [any Service] = (log.map { [$0] } ?? []) + [ForumDatabaseService(database: database, logger: logger), application]
    var configuration = ServiceGroupConfiguration(
        services: services.map {
            .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
        },
        gracefulShutdownSignals: signals, logger: logger
    )
    configuration.maximumGracefulShutdownDuration = shutdownTimeout
    configuration.maximumCancellationDuration = .seconds(2)
    return ServiceGroup(configuration: configuration)
}

/// Keeps the open database in step with other processes — the live API tokens are reloaded
/// every `tokenRefresh`, so `forum tokens revoke` takes effect within a second — and closes it
/// when the group shuts down.
public struct ForumDatabaseService: Service {
    let database: ForumDatabase
    let logger: Logger
    var tokenRefresh: Duration = .seconds(1)

    public init(database: ForumDatabase, logger: Logger, tokenRefresh: Duration = .seconds(1)) {
        self.database = database
        self.logger = logger
        self.tokenRefresh = tokenRefresh
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: tokenRefresh)
                do {
                    try await database.refreshTokens()
                } catch {
                    logger.error("token refresh failed", metadata: ["error": "\(error)"])
                }
            }
        }
        try database.close()
        logger.info("database closed")
    }
}
