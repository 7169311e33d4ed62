import Configuration
import ForumBadges
import Foundation
import HummingbirdTLS

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
    /// HTTPS with this certificate and key (`http.tls.certificate`, `http.tls.key`); plain HTTP without.
    public var tls: TLSConfiguration?
    /// A connection with no request for this long is closed.
    public var idleTimeout: Duration = .seconds(75)
    /// On SIGTERM the server finishes requests in flight for at most this long, then stops anyway.
    public var shutdownTimeout: Duration = .seconds(10)
    /// Sign-up forms a minute from one personal link (`http.signUpsPerLink`).
    public var signUpsPerLink = 20
    /// Sign-up forms a minute from one address (`http.signUpsPerAddress`): a venue or an office
    /// behind one address holds many people.
    public var signUpsPerAddress = 600

    public init(host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 1 << 20, publicURL: String? = nil) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        configuredPublicURL = publicURL
    }

    /// `http.publicUrl`, or the address the server listens on.
    public var publicURL: String {
        configuredPublicURL ?? "\(tls == nil ? "http" : "https")://\(host):\(port)"
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
        let idle = reader.double(forKey: "idleTimeout", default: 75)
        guard (1...3600).contains(idle) else { throw InvalidSetting(key: "http.idleTimeout", message: "\(idle) — от 1 до 3600 секунд") }
        idleTimeout = .milliseconds(Int64(idle * 1000))
        let shutdown = reader.double(forKey: "shutdownTimeout", default: 10)
        guard (1...300).contains(shutdown) else { throw InvalidSetting(key: "http.shutdownTimeout", message: "\(shutdown) — от 1 до 300 секунд") }
        shutdownTimeout = .milliseconds(Int64(shutdown * 1000))
        signUpsPerLink = reader.int(forKey: "signUpsPerLink", default: defaults.signUpsPerLink)
        guard (1...10_000).contains(signUpsPerLink) else { throw InvalidSetting(key: "http.signUpsPerLink", message: "\(signUpsPerLink) — от 1 до 10000 в минуту") }
        signUpsPerAddress = reader.int(forKey: "signUpsPerAddress", default: defaults.signUpsPerAddress)
        guard (1...10_000_000).contains(signUpsPerAddress) else {
            throw InvalidSetting(key: "http.signUpsPerAddress", message: "\(signUpsPerAddress) — от 1 в минуту")
        }
        tls = try Self.tls(certificate: reader.string(forKey: "tls.certificate"), key: reader.string(forKey: "tls.key"))
    }

    /// The TLS configuration of a PEM certificate chain and its private key: both or neither,
    /// and each must be readable — a server told to speak HTTPS never falls back to HTTP.
    public static func tls(certificate: String?, key: String?) throws(InvalidSetting) -> TLSConfiguration? {
        switch (certificate, key) {
        case (nil, nil):
            return nil
        case (nil, _?):
            throw InvalidSetting(key: "http.tls.certificate", message: "задан ключ http.tls.key, но не сертификат")
        case (_?, nil):
            throw InvalidSetting(key: "http.tls.key", message: "задан сертификат http.tls.certificate, но не его ключ")
        case let (certificate?, key?):
            let chain: [NIOSSLCertificate]
            do {
                chain = try NIOSSLCertificate.fromPEMFile(certificate)
            } catch {
                throw InvalidSetting(key: "http.tls.certificate", message: "\(certificate): сертификат PEM не прочитан (\(error))")
            }
            guard !chain.isEmpty else { throw InvalidSetting(key: "http.tls.certificate", message: "\(certificate): в файле нет сертификата PEM") }
            let privateKey: NIOSSLPrivateKey
            do {
                privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
            } catch {
                throw InvalidSetting(key: "http.tls.key", message: "\(key): закрытый ключ PEM не прочитан (\(error))")
            }
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
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
