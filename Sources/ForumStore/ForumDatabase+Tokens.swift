import Crypto
import Foundation
import ForumDomain
import GRDB

extension ForumDatabase {
    /// Creates a token and returns it with its secret, which is shown once and stored only as a hash.
    public func createToken(name: String, role: APIToken.Role, at now: Date = Date()) async throws -> (token: APIToken, secret: String) {
        guard let name = RussianText.tidy(name) else {
            throw ValidationFailure([FieldError(field: "name", message: "укажите имя токена (например, «Вход 1»)")])
        }
        let secret = Self.newSecret()
        let id = try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO api_token(name, role, token_hash, created_at) VALUES (?, ?, ?, ?)",
                arguments: [name, role.rawValue, Self.hash(secret), now]
            )
            return db.lastInsertedRowID
        }
        return (APIToken(id: id, name: name, role: role, createdAt: now), secret)
    }

    /// Every token ever created, revoked ones included.
    public func tokens() async throws -> [APIToken] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_token ORDER BY id").map(Self.token)
        }
    }

    /// Revokes the token; it stops working at once. Revoking twice changes nothing.
    public func revokeToken(id: Int64, at now: Date = Date()) async throws -> APIToken {
        try await pool.write { db in
            try db.execute(sql: "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now, id])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_token WHERE id = ?", arguments: [id]) else {
                throw StoreError.tokenNotFound(id: id)
            }
            return Self.token(row)
        }
    }

    /// The live token whose secret this is, or `nil`.
    public func authenticate(secret: String) async throws -> APIToken? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM api_token WHERE token_hash = ? AND revoked_at IS NULL", arguments: [Self.hash(secret)]
            ).map(Self.token)
        }
    }

    private static func token(_ row: Row) -> APIToken {
        APIToken(
            id: row["id"], name: row["name"], role: APIToken.Role(rawValue: row["role"]) ?? .desk,
            createdAt: row["created_at"], revokedAt: row["revoked_at"]
        )
    }

    private static func newSecret() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return "fo_" + bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}
