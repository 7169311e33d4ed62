#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import Synchronization

/// `forum serve`'s log on standard error, in swift-log's stream format
/// (`2027-01-15T09:00:00+0300 info forumops: key=value [Module] message`), made cheap enough for a
/// line per request: the timestamp is formatted once a second, and lines gather in a buffer that
/// is written when it holds 32 KiB, when a line above `info` comes (it goes out at once with
/// everything before it), every `interval` while the server runs, and when it stops. A process
/// killed with SIGKILL loses at most the last `interval` of access lines; the check-ins
/// themselves are in the database before they are answered.
///
/// One write per request line used to cost a third of the throughput of the cheapest routes
/// (`forum-bench http`: `/healthz` 25,500 req/s without the access log, 18,000 with it).
public final class ServerLog: Service, Sendable {
    private struct Pending {
        var bytes: [UInt8] = []
        var second = -1
        var timestamp = ""
    }

    private let pending = Mutex(Pending())
    private let descriptor: Int32
    private let interval: Duration
    static let capacity = 32 * 1024

    public init(descriptor: Int32 = STDERR_FILENO, interval: Duration = .milliseconds(250)) {
        self.descriptor = descriptor
        self.interval = interval
    }

    /// A logger whose lines go here.
    public func logger(label: String, level: Logger.Level) -> Logger {
        var logger = Logger(label: label) { label in Handler(label: label, output: self) }
        logger.logLevel = level
        return logger
    }

    /// Writes what is waiting.
    public func flush() {
        pending.withLock { write(&$0.bytes) }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        flush()
    }

    private func gracefulShutdown() async throws {
        try await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: self.interval)
                self.flush()
            }
        }
    }

    fileprivate func append(level: Logger.Level, _ line: (String) -> String) {
        pending.withLock { pending in
            var now = time(nil)
            if now != pending.second {
                pending.second = now
                pending.timestamp = Self.format(&now)
            }
            pending.bytes.append(contentsOf: line(pending.timestamp).utf8)
            if level > .info || pending.bytes.count >= Self.capacity { write(&pending.bytes) }
        }
    }

    private func write(_ bytes: inout [UInt8]) {
        var written = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result > 0 {
                    written += result
                } else if result < 0 && errno == EINTR {
                    continue
                } else {
                    break  // Standard error is gone: nothing better to do with a log line.
                }
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }

    private static func format(_ now: inout time_t) -> String {
        var local = tm()
        var buffer = [CChar](repeating: 0, count: 32)
        guard localtime_r(&now, &local) != nil, strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local) > 0 else {
            return "<unknown>"
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The handler behind `logger(label:level:)`; metadata is a value, rendered only for a line
    /// (Hummingbird sets a request id on every request's logger).
    struct Handler: LogHandler {
        let label: String
        let output: ServerLog
        var logLevel: Logger.Level = .info
        var metadataProvider: Logger.MetadataProvider?
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all = metadata
            if let provided = metadataProvider?.get() { all.merge(provided) { _, provided in provided } }
            if let explicit = event.metadata { all.merge(explicit) { _, explicit in explicit } }
            if let error = event.error { all["error.message"] = "\(error)" }
            let (rendered, label, level, message, source) = (Self.render(all), label, event.level, event.message, event.source)
            output.append(level: level) { timestamp in
                "\(timestamp) \(level) \(label):\(rendered) [\(source)] \(message)\n"
            }
        }

        /// ` key=value …` sorted by key, or nothing.
        static func render(_ metadata: Logger.Metadata) -> String {
            metadata.sorted { $0.key < $1.key }.reduce(into: "") { line, item in line += " \(item.key)=\(item.value)" }
        }
    }
}
