import Foundation
import ForumDomain
import GRDB

private typealias Column = ParticipantRecord.Columns

extension ForumDatabase {
    /// The participant with this id.
    public func participant(id: Int64) async throws -> Participant {
        try await writer.read { db in try ParticipantRecord.find(db, id: id) }
    }

    /// A page of participants matching `filter`, ordered by surname and name, with the total count.
    public func participants(matching filter: ParticipantFilter) async throws -> PageOf<Participant> {
        var conditions: [String] = []
        var bound = StatementArguments()
        if let text = filter.text, let match = Self.fullTextQuery(text, includingContacts: filter.searchesContacts) {
            conditions.append("id IN (SELECT rowid FROM participant_search WHERE participant_search MATCH ?)")
            _ = bound.append(contentsOf: [match])
        }
        if let surname = filter.surname.map(RussianText.searchKey), !surname.isEmpty {
            conditions.append("\(Column.lastNameKey.rawValue) >= ? AND \(Column.lastNameKey.rawValue) < ?")
            _ = bound.append(contentsOf: [surname, surname + "\u{10FFFF}"])
        }
        if let region = filter.regionCode {
            conditions.append("\(Column.regionCode.rawValue) = ?")
            _ = bound.append(contentsOf: [region])
        }
        if let category = filter.category {
            conditions.append("\(Column.category.rawValue) = ?")
            _ = bound.append(contentsOf: [category.rawValue])
        }
        if let status = filter.status {
            conditions.append("\(Column.status.rawValue) = ?")
            _ = bound.append(contentsOf: [status.rawValue])
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let page = filter.page
        let arguments = bound
        return try await writer.read { db in
            let total = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM participant \(whereClause)"), arguments: arguments) ?? 0
            var pageArguments = arguments
            _ = pageArguments.append(contentsOf: [page.size ?? -1, page.offset])
            let items = try ParticipantRecord.fetchAll(
                db, "\(whereClause) ORDER BY last_name_key, first_name, id LIMIT ? OFFSET ?", arguments: pageArguments
            )
            return PageOf(items: items, total: total, page: page)
        }
    }

    /// Changes the fields present in `form`, validating the result as a whole.
    public func updateParticipant(id: Int64, with form: ParticipantForm, at now: Date = Date()) async throws -> Participant {
        try await writer.write { db in
            var participant = try ParticipantRecord.find(db, id: id)
            let details = try form.applied(to: participant.details)
            guard details != participant.details else { return participant }
            if let conflict = try IndexedParticipants(db: db).uniquenessConflict(details, as: id) {
                throw StoreError.conflict(conflict)
            }
            participant.details = details
            participant.updatedAt = now
            try ParticipantRecord.update(participant, timestamp: now.databaseValue, in: db)
            return participant
        }
    }

    /// Cancels the registration; cancelling twice changes nothing. Returns the participant as stored.
    public func cancelParticipant(id: Int64, at now: Date = Date()) async throws -> Participant {
        try await setStatus(.cancelled, ofParticipant: id, at: now)
    }

    /// Restores a cancelled registration; restoring a registered one changes nothing.
    public func reinstateParticipant(id: Int64, at now: Date = Date()) async throws -> Participant {
        try await setStatus(.registered, ofParticipant: id, at: now)
    }

    private func setStatus(_ status: ParticipantStatus, ofParticipant id: Int64, at now: Date) async throws -> Participant {
        try await writer.write { db in
            var participant = try ParticipantRecord.find(db, id: id)
            guard participant.status != status else { return participant }
            participant.status = status
            participant.updatedAt = now
            try ParticipantRecord.update(participant, timestamp: now.databaseValue, in: db)
            // A cancelled registration gives up its seats; the queues move up.
            if status == .cancelled { try EnrollmentRecord.release(participant: id, in: db) }
            return participant
        }
    }

    /// An FTS5 query where every word of `text` must start a word of the entry (of its names
    /// alone unless `includingContacts`); `nil` if there are no words. Each word is quoted, so
    /// nothing in `text` is FTS syntax.
    static func fullTextQuery(_ text: String, includingContacts: Bool) -> String? {
        let words = RussianText.searchKey(text).split(separator: " ")
        guard !words.isEmpty else { return nil }
        let column = includingContacts ? "" : "names : "
        return words.map { column + "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"*" }.joined(separator: " ")
    }
}

extension ForumDatabase {
    /// Groups of registered participants who share a full name and municipality (case, `ё`/`е`
    /// and spacing aside): probably one person registered twice. Cancelled registrations are left
    /// out. Groups are ordered by surname.
    public func likelyDuplicateGroups() async throws -> [[Participant]] {
        try await writer.read { db in
            let participants = try ParticipantRecord.fetchAll(db, """
                WHERE status = 'registered' AND duplicate_key IN (
                    SELECT duplicate_key FROM participant WHERE status = 'registered'
                    GROUP BY duplicate_key HAVING COUNT(*) > 1)
                ORDER BY duplicate_key, id
                """)
            var groups: [[Participant]] = []
            var lastKey: String?
            for participant in participants {
                let key = participant.details.likelyDuplicateKey
                if key != lastKey { groups.append([]) }
                groups[groups.count - 1].append(participant)
                lastKey = key
            }
            return groups
        }
    }
}

extension ForumDatabase {
    /// The participant whose personal feed token this is, or `nil`.
    public func participant(feedToken: String) async throws -> Participant? {
        try await writer.read { db in try ParticipantRecord.fetchAll(db, "WHERE feed_token = ?", arguments: [feedToken]).first }
    }
}

extension ForumDatabase {
    /// Raises the badge serial for a reprint: from now on the older badge is `revoked` at the
    /// door. A cancelled registration gets no badge. The reprint is kept with the token that
    /// asked for it (`nil`: the command line).
    public func reprintBadge(id: Int64, by token: APIToken? = nil, at now: Date = Date()) async throws -> Participant {
        try await writer.write { db in
            var participant = try ParticipantRecord.find(db, id: id)
            guard participant.status == .registered else {
                throw StoreError.conflict(FieldError(field: "status", message: "регистрация участника №\(id) отменена: бейдж не выдаётся"))
            }
            participant.badgeSerial += 1
            participant.updatedAt = now
            try db.execute(
                sql: "UPDATE participant SET badge_serial = ?, updated_at = ?, revision = \(ParticipantRecord.nextRevision) WHERE id = ?",
                arguments: [participant.badgeSerial, now, id]
            )
            try db.execute(
                sql: "INSERT INTO badge_reprint (participant_id, badge_serial, reprinted_at, token_name) VALUES (?, ?, ?, ?)",
                arguments: [id, participant.badgeSerial, now, token?.name ?? "командная строка"]
            )
            return participant
        }
    }
}

extension ForumDatabase {
    /// Every registered participant's current badge credential: what the server signs ahead of
    /// the doors opening.
    public func badgeCredentials() async throws -> [BadgeCredential] {
        try await writer.read { db in
            try Array(Row.fetchCursor(db, sql: "SELECT id, badge_serial FROM participant WHERE status = 'registered'").map { row in
                BadgeCredential(participantID: row[0], serial: row[1])
            })
        }
    }
}
