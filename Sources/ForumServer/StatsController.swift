import ForumDomain
import ForumStore
import Foundation
import Hummingbird

/// `GET /api/v1/stats` (admin): the organisers' figures now, or `?at=` a moment (ISO 8601).
struct StatsController {
    let database: ForumDatabase

    func addRoutes(to router: Router<ForumRequestContext>) {
        router.group("api/v1").add(middleware: BearerAuthMiddleware(database: database, allowed: [.admin]))
            .get("stats", use: stats)
    }

    @Sendable func stats(_ request: Request, context: ForumRequestContext) async throws -> ForumStats {
        try await database.stats(at: try QueryParameters(request).moment("at") ?? Date())
    }
}

extension ForumStats: ResponseEncodable {}
