import Hummingbird
import HTTPTypes

/// An address the server serves, asked with a method it does not serve there, is answered
/// `405` with `Allow` (RFC 9110 §15.5.6), not `404`: the client learns the address is right and
/// which methods it takes. Knows the routes from the router once they are all added; `HEAD` is
/// served wherever `GET` is (`RouterOptions.autoGenerateHeadEndpoints`).
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = ForumRequestContext

    /// The routes' paths, split into segments (`nil` for a capture such as `{id}`), with their methods.
    private let routes: [(segments: [Substring?], methods: Set<HTTPRequest.Method>)]

    init(routes: [Router<ForumRequestContext>.RouteDescription]) {
        var methods: [String: Set<HTTPRequest.Method>] = [:]
        for route in routes {
            methods["\(route.path)", default: []].insert(route.method)
            // The router adds `HEAD` beside each `GET` only when it builds its responder.
            if route.method == .get { methods["\(route.path)", default: []].insert(.head) }
        }
        self.routes = methods.map { path, methods in
            (path.split(separator: "/").map { $0.hasPrefix("{") || $0.hasPrefix(":") ? nil : $0 }, methods)
        }
    }

    /// The methods served at `path`, in a fixed order; empty when nothing is served there.
    func allowed(at path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        let methods = routes.filter { route in
            route.segments.count == segments.count && zip(route.segments, segments).allSatisfy { $0 == nil || $0 == $1 }
        }.reduce(into: Set<HTTPRequest.Method>()) { $0.formUnion($1.methods) }
        return methods.sorted { $0.rawValue < $1.rawValue }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // No route for this method here: the request's own method is then never among those allowed.
            let allowed = allowed(at: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            let methods = allowed.map(\.rawValue).joined(separator: ", ")
            var response = try Problem(
                "method-not-allowed", status: .methodNotAllowed, title: "Метод не поддерживается",
                detail: "По адресу \(request.uri.path) принимаются только \(methods)."
            ).response(requestID: context.requestID)
            response.headers[.allow] = methods
            return response
        }
    }
}
