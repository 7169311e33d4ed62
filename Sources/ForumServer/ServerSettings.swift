import Configuration
import ForumBadges

/// What the HTTP server needs to know to start; read from the `http` scope of the configuration.
public struct ServerSettings: Sendable {
    public var host: String
    /// 1…65535, or 0 for any free port (tests).
    public var port: Int
    /// The largest request body accepted, in bytes; larger ones get 413.
    public var maxBodyBytes: Int
    /// Where the public reaches this server (`https://forum.example.ru`), if not at the address
    /// it listens on: the feeds' links are absolute.
    public var configuredPublicURL: String?
    /// How badges printed at the desk look (`Config/badge.json`).
    public var badgeLayout = BadgeLayout()

    public init(host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 1 << 20, publicURL: String? = nil) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        configuredPublicURL = publicURL
    }

    /// `http.publicUrl`, or the address the server listens on.
    public var publicURL: String {
        configuredPublicURL ?? "http://\(host):\(port)"
    }

    /// The unguessable address of a participant's own calendar (`schedule.json` beside it).
    public func personalCalendarURL(feedToken: String) -> String {
        publicURL + "/feeds/" + feedToken + "/schedule.ics"
    }

    /// Reads `host`, `port` and `maxBodyBytes` from `reader` (the `http` scope); values out of
    /// range are refused, naming the key.
    public init(reader: ConfigReader) throws(InvalidSetting) {
        let defaults = ServerSettings()
        host = reader.string(forKey: "host", default: defaults.host)
        port = reader.int(forKey: "port", default: defaults.port)
        maxBodyBytes = reader.int(forKey: "maxBodyBytes", default: defaults.maxBodyBytes)
        configuredPublicURL = reader.string(forKey: "publicUrl")
        if let url = configuredPublicURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw InvalidSetting(key: "http.publicUrl", message: "«\(url)» — ожидается адрес http:// или https://")
        }
        guard (0...65535).contains(port) else {
            throw InvalidSetting(key: "http.port", message: "порт \(port) вне диапазона 1…65535")
        }
        guard maxBodyBytes > 0 else {
            throw InvalidSetting(key: "http.maxBodyBytes", message: "размер \(maxBodyBytes) должен быть больше нуля")
        }
    }
}

/// A configuration value that cannot be used, with its key and, where known, where it came from.
public struct InvalidSetting: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String
    /// «переменная окружения FORUM_HTTP_PORT», «файл Config/forum.json».
    public var source: String?
    public var message: String

    public init(key: String, source: String? = nil, message: String) {
        self.key = key
        self.source = source
        self.message = message
    }

    public var description: String {
        "настройка «\(key)»" + (source.map { " (\($0))" } ?? "") + ": \(message)"
    }
}
