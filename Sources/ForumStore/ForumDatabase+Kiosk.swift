import ForumDomain
import Foundation
import GRDB

extension ForumDatabase {
    /// A new kiosk link valid for `hours` (1…72): the link and its key, shown once.
    public func createKioskLink(name: String, hours: Int, at now: Date = Date()) async throws -> (link: KioskLink, key: String) {
        guard let name = try PlainText.line(name, field: "name", maximumLength: 100) else {
            throw ValidationFailure([FieldError(field: "name", message: "укажите, что это за экран (например, «Экран в холле»)")])
        }
        guard (1...72).contains(hours) else { throw ValidationFailure([FieldError(field: "hours", message: "\(hours) — от 1 до 72 часов")]) }
        let key = TokenRecord.newSecret()
        let expires = now.addingTimeInterval(TimeInterval(hours) * 3600)
        let id = try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO kiosk_link (name, key_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [name, TokenRecord.hash(key), now, expires]
            )
            return db.lastInsertedRowID
        }
        return (KioskLink(id: id, name: name, createdAt: now, expiresAt: expires), key)
    }

    /// The link of this key, live or not (`KioskLink.isValid(at:)`); `nil` if there is none.
    public func kioskLink(key: String) async throws -> KioskLink? {
        guard key.utf8.count <= 100 else { return nil }
        return try await writer.read { db in
            try Self.kioskLinks(db, "WHERE key_hash = ?", [TokenRecord.hash(key)]).first
        }
    }

    /// Every kiosk link, newest first.
    public func kioskLinks() async throws -> [KioskLink] {
        try await writer.read { db in try Self.kioskLinks(db, "ORDER BY id DESC", []) }
    }

    public func revokeKioskLink(id: Int64, at now: Date = Date()) async throws -> KioskLink {
        try await writer.write { db in
            try db.execute(sql: "UPDATE kiosk_link SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now, id])
            guard let link = try Self.kioskLinks(db, "WHERE id = ?", [id]).first else { throw StoreError.notFound(.kioskLink, id: id) }
            return link
        }
    }

    private static func kioskLinks(_ db: Database, _ tail: String, _ arguments: StatementArguments) throws -> [KioskLink] {
        try Row.fetchAll(db, sql: "SELECT id, name, created_at, expires_at, revoked_at FROM kiosk_link " + tail, arguments: arguments).map { row in
            KioskLink(id: row[0], name: row[1], createdAt: row[2], expiresAt: row[3], revokedAt: row[4])
        }
    }

    /// The live token with this id, or `nil` (revoked, unknown). Reads memory only.
    public func liveToken(id: Int64) -> APIToken? {
        liveTokens.token(id: id)
    }
}
