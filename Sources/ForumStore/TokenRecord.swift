import Crypto
import Foundation
import ForumDomain
import GRDB
import Synchronization

/// How an `APIToken` is laid out in the `api_token` table: the one place that names its
/// columns. An unknown stored role is an error, never a role that grants something.
enum TokenRecord {
    static let databaseTableName = "api_token"

    enum Columns: String, ColumnExpression, CaseIterable {
        case id, name, role, tokenHash = "token_hash", createdAt = "created_at", revokedAt = "revoked_at", mayReprint = "may_reprint"
    }

    private static let positions = Columns.positions

    static func decode(_ row: Row) throws -> (token: APIToken, hash: String) {
        func value<Value: DatabaseValueConvertible>(_ column: Columns) throws -> Value {
            try row.decode(atIndex: positions[column]!)
        }
        let token = APIToken(
            id: try value(.id), name: try value(.name), role: try value(.role),
            createdAt: try value(.createdAt), revokedAt: try value(.revokedAt), mayReprint: try value(.mayReprint)
        )
        return (token, try value(.tokenHash))
    }

    static func fetchAll(_ db: Database, _ tail: String = "", arguments: StatementArguments = []) throws -> [(token: APIToken, hash: String)] {
        try Array(Row.fetchCursor(db, sql: "SELECT \(Columns.selection) FROM \(databaseTableName) \(tail)", arguments: arguments).map(decode))
    }

    /// Tokens that are not revoked, by the hash of their secret.
    static func live(in db: Database) throws -> [String: APIToken] {
        Dictionary(uniqueKeysWithValues: try fetchAll(db, "WHERE \(Columns.revokedAt.rawValue) IS NULL").map { ($0.hash, $0.token) })
    }

    static func insert(name: String, role: APIToken.Role, mayReprint: Bool, hash: String, at now: Date, in db: Database) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO \(databaseTableName) (name, role, may_reprint, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [name, role, mayReprint, hash, now]
        )
        return db.lastInsertedRowID
    }

    /// A new secret: `fo_` and 256 random bits, base64url.
    static func newSecret() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return "fo_" + bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// What is stored of a secret: its SHA-256, hex.
    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hexadecimal
    }
}

/// The live tokens in memory, replaced as a whole on every change.
final class TokenDirectory: Sendable {
    private let tokens = Mutex<[String: APIToken]>([:])

    func replace(with live: [String: APIToken]) {
        tokens.withLock { $0 = live }
    }

    func token(hash: String) -> APIToken? {
        tokens.withLock { $0[hash] }
    }

    func token(id: Int64) -> APIToken? {
        tokens.withLock { $0.values.first { $0.id == id } }
    }
}
