import ForumDomain
import Hummingbird
import Synchronization

/// Per-request state: the authenticated token and the body limit in force.
public struct ForumRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `BearerAuthMiddleware` on routes that need a token.
    public var token: APIToken? {
        didSet { tokenForLog.withLock { $0 = token?.id } }
    }
    public var maxUploadSize: Int = 1 << 20
    /// The token id as the access log sees it: middleware outside the authentication gets its own
    /// copy of the context, so the id travels in this shared box.
    let tokenForLog = SharedTokenID()

    public init(source: Source) {
        coreContext = .init(source: source)
    }

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

/// A token id shared by all copies of one request's context.
final class SharedTokenID: Sendable {
    private let value = Mutex<Int64?>(nil)

    func withLock<Result>(_ body: (inout Int64?) -> Result) -> Result {
        value.withLock { body(&$0) }
    }
}
