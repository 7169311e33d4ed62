import ForumDomain
@testable import ForumStore
import Foundation
import GRDB
import Testing

@Suite struct MigrationTests {
    /// v7 rebuilds the token table for the metrics role: tokens, their secrets and the trail's
    /// references to them survive, and the new role is accepted.
    @Test func theMetricsRoleMigrationKeepsTokensAndTheTrail() async throws {
        let queue = try DatabaseQueue()
        try ForumSchema.migrator.migrate(queue, upTo: "v6 accountable trail and forum identity")
        let secret = "0123456789abcdef"
        try await queue.write { db throws in
            try db.execute(sql: "INSERT INTO api_token (id, name, role, token_hash, created_at) VALUES (7, 'Вход 1', 'desk', ?, '2024-01-15 07:00:00.000')",
                           arguments: [TokenRecord.hash(secret)])
            try db.execute(sql: """
                INSERT INTO checkin (list_slug, desk, nonce, scanned_at, recorded_at, result, source, token_id, token_name)
                VALUES ('entrance', 'Вход 1', 'n-1', '2024-01-15 07:05:00.000', '2024-01-15 07:05:00.000', 'unknown', 'online', 7, 'Вход 1')
                """)
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE api_token SET role = 'metrics' WHERE id = 7") }
        }
        try ForumSchema.migrator.migrate(queue)
        try await queue.read { db throws in
            #expect(try String.fetchOne(db, sql: "SELECT role FROM api_token WHERE token_hash = ?", arguments: [TokenRecord.hash(secret)]) == "desk")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM checkin c JOIN api_token t ON t.id = c.token_id") == 1)
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
        }
        try await queue.write { db throws in
            try db.execute(sql: "INSERT INTO api_token (name, role, token_hash, created_at) VALUES ('Prometheus', 'metrics', 'h', '2024-01-15 07:00:00.000')")
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE api_token SET role = 'root' WHERE id = 7") }
        }
    }
}
