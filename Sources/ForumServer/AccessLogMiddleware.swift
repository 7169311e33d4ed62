import Hummingbird

/// One log line per request with the route pattern (never the path or query, which can hold
/// names), the status, the duration and the id of the token used, for the audit trail.
struct AccessLogMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: ForumRequestContext,
        next: (Request, ForumRequestContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        context.logger.info("request", metadata: [
            "method": "\(request.method)",
            "route": "\(context.endpointPath ?? "-")",
            "status": "\(response.status.code)",
            "ms": "\(elapsed / .milliseconds(1))",
            "token": "\(context.token.map { String($0.id) } ?? "-")",
        ])
        return response
    }
}
