import ForumDomain
import Foundation
import Hummingbird
import Synchronization

/// Per-request state: the authenticated token and the body limit in force.
public struct ForumRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `BearerAuthMiddleware` on routes that need a token. Middleware outside the
    /// authentication (the access log) holds its own copy of the context, so the token lives in
    /// a box all copies share.
    public var token: APIToken? {
        get { sharedToken.value.withLock { $0 } }
        nonmutating set { sharedToken.value.withLock { $0 = newValue } }
    }
    public var maxUploadSize: Int = 1 << 20
    /// The client's IP address (the attendee pages' limits count by it).
    public let remoteAddress: String?
    private let sharedToken = SharedToken()

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Every response is encoded the one way (`ForumJSON`).
    public var responseEncoder: JSONEncoder { ForumJSON.encoder }

    /// The id Hummingbird gives the request (in the logger's metadata; a silent logger may have none).
    var requestID: String { logger[metadataKey: "hb.request.id"]?.description ?? "-" }

    /// Only organisers see e-mails and phones; desks see who a person is, not how to reach them.
    var mayReadContacts: Bool { token?.role == .admin }
}

/// Applies the configured body limit to every request.
struct RequestLimitsMiddleware: RouterMiddleware {
    let maxBodyBytes: Int

    func handle(
        _ request: Request, context: ForumRequestContext,
        next: (Request, ForumRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.maxUploadSize = maxBodyBytes
        return try await next(request, context)
    }
}

/// The token of one request, shared by all copies of its context.
private final class SharedToken: Sendable {
    let value = Mutex<APIToken?>(nil)
}
