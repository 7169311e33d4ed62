import ForumDomain
import Hummingbird

/// Per-request state: the authenticated token and the body limit in force.
public struct ForumRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `BearerAuthMiddleware` on routes that need a token.
    public var token: APIToken?
    public var maxUploadSize: Int = 1 << 20

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
