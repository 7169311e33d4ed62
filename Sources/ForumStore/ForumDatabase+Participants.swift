import Foundation
import ForumDomain
import GRDB

extension ForumDatabase {
    /// The participant with this id.
    public func participant(id: Int64) async throws -> Participant {
        try await pool.read { db in try Self.participant(id: id, in: db) }
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
            conditions.append("last_name_key >= ? AND last_name_key < ?")
            _ = bound.append(contentsOf: [surname, surname + "\u{10FFFF}"])
        }
        if let region = filter.regionCode {
            conditions.append("region_code = ?")
            _ = bound.append(contentsOf: [region])
        }
        if let category = filter.category {
            conditions.append("category = ?")
            _ = bound.append(contentsOf: [category.rawValue])
        }
        if let status = filter.status {
            conditions.append("status = ?")
            _ = bound.append(contentsOf: [status.rawValue])
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let page = filter.page
        let arguments = bound
        return try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM participant \(whereClause)", arguments: arguments) ?? 0
            var pageArguments = arguments
            _ = pageArguments.append(contentsOf: [page.size ?? -1, page.offset])
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM participant \(whereClause) ORDER BY last_name_key, first_name, id LIMIT ? OFFSET ?",
                arguments: pageArguments
            )
            return PageOf(items: rows.map(ParticipantRow.participant), total: total, page: page)
        }
    }

    /// Changes the fields present in `form`, validating the result as a whole.
    public func updateParticipant(id: Int64, with form: ParticipantForm, at now: Date = Date()) async throws -> Participant {
        try await pool.write { db in
            var participant = try Self.participant(id: id, in: db)
            let details = try form.applied(to: participant.details)
            guard details != participant.details else { return participant }
            try Self.ensureUnique(details, exceptID: id, in: db)
            participant.details = details
            participant.updatedAt = now
            try ParticipantRow.update(participant, timestamp: now.databaseValue, in: db)
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
        try await pool.write { db in
            var participant = try Self.participant(id: id, in: db)
            guard participant.status != status else { return participant }
            participant.status = status
            participant.updatedAt = now
            try ParticipantRow.update(participant, timestamp: now.databaseValue, in: db)
            return participant
        }
    }

    static func participant(id: Int64, in db: Database) throws -> Participant {
        guard let participant = try ParticipantRow.fetchOne(id: id, in: db) else { throw StoreError.participantNotFound(id: id) }
        return participant
    }

    private static func ensureUnique(_ details: ParticipantDetails, exceptID id: Int64, in db: Database) throws {
        if let other = try Int64.fetchOne(db, sql: "SELECT id FROM participant WHERE email = ? AND id != ?", arguments: [details.email, id]) {
            throw StoreError.conflict(FieldError(field: ParticipantField.email.rawValue, message: "этот e-mail уже указан у участника №\(other)"))
        }
        if let external = details.externalID,
           let other = try Int64.fetchOne(db, sql: "SELECT id FROM participant WHERE external_id = ? AND id != ?", arguments: [external, id]) {
            throw StoreError.conflict(FieldError(field: ParticipantField.externalID.rawValue, message: "этот номер заявки уже у участника №\(other)"))
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
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM participant
                WHERE status = 'registered' AND duplicate_key IN (
                    SELECT duplicate_key FROM participant WHERE status = 'registered'
                    GROUP BY duplicate_key HAVING COUNT(*) > 1)
                ORDER BY duplicate_key, id
                """)
            var groups: [[Participant]] = []
            var lastKey: String?
            for row in rows {
                let key: String = row["duplicate_key"]
                if key != lastKey { groups.append([]) }
                groups[groups.count - 1].append(ParticipantRow.participant(row))
                lastKey = key
            }
            return groups
        }
    }
}
