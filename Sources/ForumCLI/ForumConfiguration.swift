import Configuration
import ForumServer
import Foundation
import Synchronization
import SystemPackage

/// The configuration of one forumops installation, layered: command-line options (applied by
/// the commands) over `FORUM_…` environment variables over the JSON file (`Config/forum.json`)
/// over each setting's default. Each part reads its own scope — the server `http`, the CLI
/// `database` and `log` — through `read`, which refuses a value that does not parse instead of
/// falling back to the default, naming the key and where the value came from.
struct ForumConfiguration: Sendable {
    /// The file read when `--config` and `FORUM_CONFIG` name none; missing is fine.
    static let defaultFile = "Config/forum.json"

    private let reader: ConfigReader
    private let problems: UnreadableValues

    /// Reads the layers. `file` (or `FORUM_CONFIG`) must exist if given.
    static func load(file: String?) async throws -> ForumConfiguration {
        let explicitFile = file ?? ProcessInfo.processInfo.environment["FORUM_CONFIG"]
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
        let problems = UnreadableValues(file: path)
        let reader = ConfigReader(
            providers: [
                // `FORUM_DATABASE` names the database, as `--database` does; the rest is `FORUM_` + key.
                EnvironmentVariablesProvider().mapKeys { key in
                    AbsoluteConfigKey(["forum"] + (key.components == ["database", "path"] ? ["database"] : key.components))
                },
                fileProvider,
            ],
            accessReporter: problems
        )
        return ForumConfiguration(reader: reader, problems: problems)
    }

    /// The result of `body` over the configuration, or the first value it met that did not parse.
    func read<Value>(_ body: (ConfigReader) throws -> Value) throws -> Value {
        let value = try body(reader)
        try problems.check()
        return value
    }

    /// `database.path` (`FORUM_DATABASE`).
    func databasePath() throws -> String {
        try read { $0.string(forKey: "database.path", default: "forum.sqlite") }
    }
}

/// Collects the configuration values that a provider had but that could not be read as the
/// type asked for (`FORUM_HTTP_PORT=80a`, `"level": "loud"`).
private final class UnreadableValues: AccessReporter {
    private let file: String
    private let found = Mutex<[InvalidSetting]>([])

    init(file: String) {
        self.file = file
    }

    func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        for provider in event.providerResults {
            let isEnvironment = provider.providerName.contains("Environment")
            switch provider.result {
            case .failure:
                record(key: key, environment: isEnvironment, value: isEnvironment ? Self.environmentValue(of: key) : nil, type: event.metadata.valueType)
                return
            case .success(let lookup) where lookup.value != nil:
                if event.conversionError != nil {
                    let value = isEnvironment ? Self.environmentValue(of: key) : lookup.value.flatMap { Self.text($0.content) }
                    record(key: key, environment: isEnvironment, value: value, type: event.metadata.valueType)
                }
                return
            case .success:
                continue
            }
        }
    }

    /// Throws the first unreadable value, if any.
    func check() throws(InvalidSetting) {
        if let first = found.withLock({ $0.first }) { throw first }
    }

    private func record(key: String, environment: Bool, value: String?, type: ConfigType) {
        let source = environment ? "переменная окружения \(Self.environmentName(of: key))" : "файл \(file)"
        let expected = switch type {
        case .int: "целое число"
        case .bool: "true или false"
        case .double: "число"
        default: key == "log.level" ? "trace, debug, info, notice, warning, error или critical" : "допустимое значение"
        }
        let message = (value.map { "«\($0)» — " } ?? "") + "ожидается \(expected)"
        found.withLock { $0.append(InvalidSetting(key: key, source: source, message: message)) }
    }

    /// `FORUM_HTTP_MAX_BODY_BYTES` for `http.maxBodyBytes`; `FORUM_DATABASE` for `database.path`.
    private static func environmentName(of key: String) -> String {
        guard key != "database.path" else { return "FORUM_DATABASE" }
        let snake = key.unicodeScalars.map { $0.properties.isUppercase ? "_\($0)" : "\($0)" }.joined()
        return "FORUM_" + snake.replacingOccurrences(of: ".", with: "_").uppercased()
    }

    private static func environmentValue(of key: String) -> String? {
        ProcessInfo.processInfo.environment[environmentName(of: key)]
    }

    private static func text(_ content: ConfigContent) -> String? {
        switch content {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): String(flag)
        default: nil
        }
    }
}
