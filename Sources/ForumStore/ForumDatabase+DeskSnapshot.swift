import Foundation
import ForumDomain
import GRDB

extension ForumDatabase {
    /// What a desk at `list` needs to decide scans without the server, or only what changed
    /// since `cursor` (people by revision, check-ins by id): one read transaction, so the copy
    /// is consistent. The key is the server's to add.
    public func deskSnapshot(list slug: String, since cursor: DeskSnapshot.Cursor = .init()) async throws -> DeskSnapshot {
        try await writer.read { db in
            let list = try CheckInLists.find(slug, in: db)
            let people = try Array(Row.fetchCursor(db.cachedStatement(sql: """
                SELECT \(DeskRow.personColumns) FROM participant p WHERE p.revision > ? ORDER BY p.revision
                """), arguments: [cursor.people]).map { try DeskRow(row: $0).person() })
            let seated = try list.requiresEnrollment ? list.session.map { session in
                try Int64.fetchAll(db.cachedStatement(sql: """
                    SELECT e.participant_id FROM enrollment e JOIN session s ON s.id = e.session_id
                    WHERE s.slug = ? AND e.state = 'seated' ORDER BY e.participant_id
                    """), arguments: [session])
            } : nil
            let admissions = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, participant_id, desk, scanned_at FROM checkin
                WHERE list_slug = ? AND result = 'ok' AND annulled_at IS NULL AND id > ? ORDER BY id
                """), arguments: [list.slug, cursor.checkIns]).map { row in
                DeskSnapshot.Admission(id: try row.decode(atIndex: 0), participantId: try row.decode(atIndex: 1), desk: try row.decode(atIndex: 2), scannedAt: try row.decode(atIndex: 3))
            }
            let next = DeskSnapshot.Cursor(
                people: try Int64.fetchOne(db, sql: "SELECT max(revision) FROM participant") ?? 0,
                checkIns: try Int64.fetchOne(db, sql: "SELECT max(id) FROM checkin") ?? 0
            )
            return DeskSnapshot(list: list, publicKey: nil, people: people, seated: seated, checkIns: admissions, cursor: next)
        }
    }
}
