/// What the HTTP server needs to know to start.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// The largest request body accepted, in bytes; larger ones get 413.
    public var maxBodyBytes: Int
    /// Shown by `/healthz`.
    public var forumName: String

    public init(host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 1 << 20, forumName: String = "forumops") {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.forumName = forumName
    }
}
