import ForumServer
import ForumStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Driving the application in tests: a client over the router, headers and JSON bodies.
enum API {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @discardableResult
    static func withClient<Value: Sendable>(
        database: ForumDatabase, maxBodyBytes: Int = 1 << 20, _ test: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let application = try buildApplication(settings: ServerSettings(maxBodyBytes: maxBodyBytes), database: database, logger: quiet)
        return try await application.test(.router, test)
    }

    static func headers(_ token: String?) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return headers
    }

    static func json(_ object: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(data: try JSONSerialization.data(withJSONObject: object))
    }

    static func decode(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
    }
}
