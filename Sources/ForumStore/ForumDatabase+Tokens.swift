import Foundation
import ForumDomain
import GRDB

extension ForumDatabase {
    /// Creates a token and returns it with its secret, which is shown once and stored only as a hash.
    /// `mayReprint` grants a desk's token reprints at the desk.
    public func createToken(name: String, role: APIToken.Role, mayReprint: Bool = false, at now: Date = Date()) async throws -> (token: APIToken, secret: String) {
        guard let name = try PlainText.line(name, field: "name", maximumLength: 100) else {
            throw ValidationFailure([FieldError(field: "name", message: "укажите имя токена (например, «Вход 1»)")])
        }
        guard !mayReprint || role == .desk else {
            throw ValidationFailure([FieldError(field: "mayReprint", message: "право перевыпуска даётся токену стойки (desk); организаторы (admin) перевыпускают и так")])
        }
        let secret = TokenRecord.newSecret()
        let id = try await writeRefreshingTokens { db in
            try TokenRecord.insert(name: name, role: role, mayReprint: mayReprint, hash: TokenRecord.hash(secret), at: now, in: db)
        }
        return (APIToken(id: id, name: name, role: role, createdAt: now, mayReprint: mayReprint), secret)
    }

    /// Every token ever created, revoked ones included.
    public func tokens() async throws -> [APIToken] {
        try await writer.read { db in try TokenRecord.fetchAll(db, "ORDER BY id").map(\.token) }
    }

    /// Revokes the token; it stops working at once. Revoking twice changes nothing.
    public func revokeToken(id: Int64, at now: Date = Date()) async throws -> APIToken {
        try await writeRefreshingTokens { db in
            try db.execute(sql: "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now, id])
            guard let token = try TokenRecord.fetchAll(db, "WHERE id = ?", arguments: [id]).first?.token else {
                throw StoreError.notFound(.token, id: id)
            }
            return token
        }
    }

    /// The live token whose secret this is, or `nil`. Reads memory only: the live tokens are
    /// loaded on opening, after every change made here, and by `refreshTokens()` for changes
    /// made by other processes (`forum tokens revoke` while the server runs).
    public func authenticate(secret: String) -> APIToken? {
        liveTokens.token(hash: TokenRecord.hash(secret))
    }

    /// Reloads the live tokens from the database.
    public func refreshTokens() async throws {
        let live = try await writer.read { db in try TokenRecord.live(in: db) }
        liveTokens.replace(with: live)
    }

    private func writeRefreshingTokens<T: Sendable>(_ change: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let (value, live) = try await writer.write { db in (try change(db), try TokenRecord.live(in: db)) }
        liveTokens.replace(with: live)
        return value
    }
}
