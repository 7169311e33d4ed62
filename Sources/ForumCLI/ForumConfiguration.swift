import Configuration
import Foundation
import SystemPackage

/// Settings of one forumops installation, layered: command-line options (applied by the
/// commands) over `FORUM_…` environment variables over the JSON file (`Config/forum.json`)
/// over the built-in defaults below.
struct ForumConfiguration: Sendable {
    /// `database.path` (`FORUM_DATABASE`).
    var databasePath = "forum.sqlite"
    /// `http.host` (`FORUM_HTTP_HOST`).
    var httpHost = "127.0.0.1"
    /// `http.port` (`FORUM_HTTP_PORT`).
    var httpPort = 8080
    /// `limits.maxBodyBytes` (`FORUM_LIMITS_MAX_BODY_BYTES`).
    var maxBodyBytes = 1 << 20
    /// `forum.name` (`FORUM_FORUM_NAME`).
    var forumName = "Всероссийский муниципальный форум «Малая Родина — сила России»"
    /// `forum.timeZone` (`FORUM_FORUM_TIME_ZONE`).
    var timeZone = "Europe/Moscow"
    /// `forum.startDate`, `forum.endDate` (`FORUM_FORUM_START_DATE`, `FORUM_FORUM_END_DATE`).
    var startDate = "2027-01-15"
    var endDate = "2027-01-16"
    /// `log.level` (`FORUM_LOG_LEVEL`): trace, debug, info, notice, warning, error, critical.
    var logLevel = "info"

    /// The file read when `--config` and `FORUM_CONFIG` name none; missing is fine.
    static let defaultFile = "Config/forum.json"

    /// Reads the layers. `file` (or `FORUM_CONFIG`) must exist if given.
    static func load(file: String?) async throws -> ForumConfiguration {
        let environment = ProcessInfo.processInfo.environment
        let explicitFile = file ?? environment["FORUM_CONFIG"]
        let path = explicitFile ?? defaultFile
        guard explicitFile == nil || FileManager.default.fileExists(atPath: path) else {
            throw CLIError.refused("файл настроек \(path) не найден")
        }
        let fileProvider: FileProvider<JSONSnapshot>
        do {
            fileProvider = try await FileProvider<JSONSnapshot>(filePath: FilePath(path), allowMissing: true)
        } catch {
            throw CLIError.refused("файл настроек \(path) не прочитан: \(error)")
        }
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider().mapKeys { key in
                key.components == ["database", "path"]
                    ? AbsoluteConfigKey(["forum", "database"]) : AbsoluteConfigKey(["forum"] + key.components)
            },
            fileProvider,
        ])
        var configuration = ForumConfiguration()
        configuration.databasePath = reader.string(forKey: "database.path", default: configuration.databasePath)
        configuration.httpHost = reader.string(forKey: "http.host", default: configuration.httpHost)
        configuration.httpPort = reader.int(forKey: "http.port", default: configuration.httpPort)
        configuration.maxBodyBytes = reader.int(forKey: "limits.maxBodyBytes", default: configuration.maxBodyBytes)
        configuration.forumName = reader.string(forKey: "forum.name", default: configuration.forumName)
        configuration.timeZone = reader.string(forKey: "forum.timeZone", default: configuration.timeZone)
        configuration.startDate = reader.string(forKey: "forum.startDate", default: configuration.startDate)
        configuration.endDate = reader.string(forKey: "forum.endDate", default: configuration.endDate)
        configuration.logLevel = reader.string(forKey: "log.level", default: configuration.logLevel)
        return configuration
    }
}
