import ForumDomain
import ForumStore
import Hummingbird

/// Lets a request through only with a live bearer token of one of the allowed roles:
/// no or unknown token → 401, a token of another role → 403.
struct BearerAuthMiddleware: RouterMiddleware {
    let database: ForumDatabase
    let allowed: Set<APIToken.Role>

    func handle(
        _ request: Request, context: ForumRequestContext,
        next: (Request, ForumRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("Передайте токен в заголовке «Authorization: Bearer <токен>».")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem.unauthorized("Ожидается заголовок «Authorization: Bearer <токен>».")
        }
        guard let token = database.authenticate(secret: String(parts[1])) else {
            throw Problem.unauthorized("Токен неизвестен или отозван.")
        }
        context.token = token  // before the role check: a refused attempt is logged with its token too
        guard allowed.contains(token.role) else {
            throw Problem.forbidden("Токену с ролью «\(token.role.rawValue)» это действие недоступно.")
        }
        return try await next(request, context)
    }
}
