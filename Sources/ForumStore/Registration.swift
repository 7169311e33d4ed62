import Foundation
import ForumDomain
import GRDB

/// What registering a batch of participants did (or, in a dry run, would do), row by row.
public struct RegistrationReport: Sendable, Equatable {
    /// One entry per submitted row, in order.
    public var outcomes: [Outcome]
    /// New registrations that look like someone already registered under another e-mail.
    public var likelyDuplicates: [LikelyDuplicate]
    /// Whether the changes were written.
    public var committed: Bool

    public enum Outcome: Sendable, Equatable {
        case created(id: Int64)
        case updated(id: Int64)
        case unchanged(id: Int64)
        /// A later row of the same batch has the same e-mail or external id and wins.
        case superseded(byRow: Int)
        /// The row cannot be applied; nothing of it is written.
        case conflict(FieldError)

        /// The participant the row was registered as, if it was.
        public var participantID: Int64? {
            switch self {
            case .created(let id), .updated(let id), .unchanged(let id): id
            case .superseded, .conflict: nil
            }
        }
    }

    /// A new row whose name and municipality match an existing participant or an earlier new row.
    public struct LikelyDuplicate: Sendable, Equatable {
        public var row: Int
        public var fullName: String
        public var municipality: String
        /// The registered participant it resembles, or the earlier row of this batch.
        public var existingID: Int64?
        public var earlierRow: Int?
    }

    public var created: Int { outcomes.count { if case .created = $0 { true } else { false } } }
    public var updated: Int { outcomes.count { if case .updated = $0 { true } else { false } } }
    public var unchanged: Int { outcomes.count { if case .unchanged = $0 { true } else { false } } }
    public var superseded: Int { outcomes.count { if case .superseded = $0 { true } else { false } } }
    public var conflicts: [(row: Int, error: FieldError)] {
        outcomes.enumerated().compactMap { index, outcome in
            if case .conflict(let error) = outcome { (index, error) } else { nil }
        }
    }
}

/// One row to register: validated details and the fields its source actually had.
public struct RegistrationRow: Sendable, Hashable {
    public var details: ParticipantDetails
    /// For someone already registered only these fields change: a CSV file without a «Телефон»
    /// column, or a request without `phone`, keeps the phone on record.
    public var provided: Set<ParticipantField>

    public init(_ details: ParticipantDetails, provided: Set<ParticipantField> = Set(ParticipantField.allCases)) {
        self.details = details
        self.provided = provided
    }

    /// The form validated, providing the fields it carries.
    public init(_ form: ParticipantForm) throws(ValidationFailure) {
        self.init(try form.validated(), provided: form.providedFields)
    }
}

/// What to do with rows that conflict with the database.
public enum ConflictPolicy: Sendable {
    /// Write nothing if any row conflicts.
    case allOrNothing
    /// Write the rows that can be written.
    case skipConflicts
}

/// One participant registered from the API or `forum participants add`.
public struct SingleRegistration: Sendable {
    public enum Result: String, Sendable, Codable {
        /// A new participant.
        case created
        /// The e-mail or external id was known: that person's record was updated.
        case updated
        /// The e-mail or external id was known and nothing changed.
        case unchanged
    }

    public var result: Result
    public var participant: Participant
    /// Registered participants with the same full name and municipality.
    public var likelyDuplicates: [Int64]
}

extension ForumDatabase {
    /// Registers a batch in one transaction, planned over every registered participant. A row
    /// with a known external id or e-mail is the same person and updates the fields it provides
    /// (status, badge and feed token are kept); otherwise it is a new participant. Registering
    /// the same rows twice changes nothing the second time.
    public func register(
        _ rows: [RegistrationRow], policy: ConflictPolicy = .allOrNothing, dryRun: Bool = false,
        at now: Date = Date()
    ) async throws -> RegistrationReport {
        try await writer.writeWithoutTransaction { db in
            var report = RegistrationReport(outcomes: [], likelyDuplicates: [], committed: false)
            try db.inTransaction(.immediate) {
                let planner = RegistrationPlanner(db: db, registered: try LoadedParticipants(db: db))
                report = try planner.register(rows, applying: policy, at: now)
                report.committed = !dryRun && (policy == .skipConflicts || report.conflicts.isEmpty)
                return report.committed ? .commit : .rollback
            }
            return report
        }
    }

    /// Registers one participant by the same rules as a batch, with indexed lookups only: the
    /// writer is held for microseconds, not for a scan of the table. A conflict throws.
    public func register(_ row: RegistrationRow, at now: Date = Date()) async throws -> SingleRegistration {
        try await writer.write { db in
            let planner = RegistrationPlanner(db: db, registered: IndexedParticipants(db: db))
            let report = try planner.register([row], applying: .allOrNothing, at: now)
            let result: SingleRegistration.Result
            switch report.outcomes[0] {
            case .created: result = .created
            case .updated: result = .updated
            case .unchanged: result = .unchanged
            case .conflict(let error): throw StoreError.conflict(error)
            case .superseded: preconditionFailure("a single row is never superseded")
            }
            guard let id = report.outcomes[0].participantID else { preconditionFailure("a registered row has an id") }
            return SingleRegistration(
                result: result, participant: try ParticipantRecord.find(db, id: id),
                likelyDuplicates: report.likelyDuplicates.compactMap(\.existingID)
            )
        }
    }
}

/// What registration needs to know of the participants already registered.
protocol RegisteredParticipants {
    func participant(id: Int64) throws -> Participant
    func id(email: String) throws -> Int64?
    func id(externalID: String) throws -> Int64?
    /// The first participant with this likely-duplicate key.
    func id(duplicateKey: String) throws -> Int64?
}

extension RegisteredParticipants {
    /// The uniqueness rule: an e-mail and an external id each belong to one person. The first
    /// field that `details` would take from someone other than participant `id`.
    func uniquenessConflict(_ details: ParticipantDetails, as id: Int64) throws -> FieldError? {
        if let other = try self.id(email: details.email), other != id {
            return FieldError(field: ParticipantField.email.rawValue, message: "этот e-mail уже указан у участника №\(other)")
        }
        if let external = details.externalID, let other = try self.id(externalID: external), other != id {
            return FieldError(field: ParticipantField.externalID.rawValue, message: "этот номер заявки уже у участника №\(other)")
        }
        return nil
    }
}

/// Every registered participant in memory: a batch of thousands is planned with hash lookups.
private struct LoadedParticipants: RegisteredParticipants {
    var byID: [Int64: Participant] = [:]
    var idByEmail: [String: Int64] = [:]
    var idByExternalID: [String: Int64] = [:]
    var idByDuplicateKey: [String: Int64] = [:]

    init(db: Database) throws {
        let participants = try ParticipantRecord.fetchAll(db, "ORDER BY id")
        byID.reserveCapacity(participants.count)
        idByEmail.reserveCapacity(participants.count)
        idByExternalID.reserveCapacity(participants.count)
        idByDuplicateKey.reserveCapacity(participants.count)
        for participant in participants {
            let details = participant.details
            byID[participant.id] = participant
            idByEmail[details.email] = participant.id
            if let external = details.externalID { idByExternalID[external] = participant.id }
            let duplicateKey = details.likelyDuplicateKey
            idByDuplicateKey[duplicateKey] = idByDuplicateKey[duplicateKey] ?? participant.id
        }
    }

    func participant(id: Int64) throws -> Participant {
        guard let participant = byID[id] else { throw StoreError.notFound(.participant, id: id) }
        return participant
    }

    func id(email: String) -> Int64? { idByEmail[email] }
    func id(externalID: String) -> Int64? { idByExternalID[externalID] }
    func id(duplicateKey: String) -> Int64? { idByDuplicateKey[duplicateKey] }
}

/// The registered participants looked up through the table's unique indexes, one row at a time.
struct IndexedParticipants: RegisteredParticipants {
    let db: Database

    func participant(id: Int64) throws -> Participant {
        try ParticipantRecord.find(db, id: id)
    }

    func id(email: String) throws -> Int64? {
        try firstID(where: .email, is: email)
    }

    func id(externalID: String) throws -> Int64? {
        try firstID(where: .externalID, is: externalID)
    }

    func id(duplicateKey: String) throws -> Int64? {
        try firstID(where: .duplicateKey, is: duplicateKey)
    }

    private func firstID(where column: ParticipantRecord.Columns, is value: String) throws -> Int64? {
        try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM participant WHERE \(column.rawValue) = ? ORDER BY id LIMIT 1"),
            arguments: [value]
        )
    }
}

/// Matches a batch against the registered participants and writes the result.
private struct RegistrationPlanner<Registered: RegisteredParticipants> {
    let db: Database
    let registered: Registered

    func register(_ submitted: [RegistrationRow], applying policy: ConflictPolicy, at now: Date) throws -> RegistrationReport {
        var rows = submitted.map(\.details)
        var outcomes = Self.supersededRows(rows)
        var rowByMatchedID: [Int64: Int] = [:]
        for index in rows.indices where outcomes[index] == nil {
            outcomes[index] = try match(&rows[index], provided: submitted[index].provided)
            switch outcomes[index] {
            case .updated(let id), .unchanged(let id):
                if let earlier = rowByMatchedID[id] {
                    // Neither row can win: both are refused.
                    let conflict = RegistrationReport.Outcome.conflict(FieldError(
                        field: ParticipantField.email.rawValue,
                        message: "участник №\(id) описан двумя строками: одна совпадает по e-mail, другая по номеру заявки"
                    ))
                    outcomes[earlier] = conflict
                    outcomes[index] = conflict
                }
                rowByMatchedID[id] = rowByMatchedID[id] ?? index
            default:
                break
            }
        }
        let writes = policy == .skipConflicts || !outcomes.contains { if case .conflict = $0 { true } else { false } }
        let timestamp = now.databaseValue
        var likelyDuplicates: [RegistrationReport.LikelyDuplicate] = []
        var newRowByDuplicateKey: [String: Int] = [:]
        // Grown once: rehashing Cyrillic keys as the table doubles costs more than the lookups.
        newRowByDuplicateKey.reserveCapacity(rows.count)
        for (index, details) in rows.enumerated() {
            switch outcomes[index] {
            case .created:
                let keys = ParticipantRecord.SearchKeys(details)
                let key = keys.likelyDuplicate
                let (existingID, earlierRow) = (try registered.id(duplicateKey: key), newRowByDuplicateKey[key])
                if existingID != nil || earlierRow != nil {
                    likelyDuplicates.append(.init(
                        row: index, fullName: details.fullName, municipality: details.municipality,
                        existingID: existingID, earlierRow: earlierRow
                    ))
                }
                if earlierRow == nil { newRowByDuplicateKey[key] = index }
                if writes {
                    let participant = Participant(
                        id: 0, details: details, feedToken: ParticipantRecord.newFeedToken(), createdAt: now, updatedAt: now
                    )
                    outcomes[index] = .created(id: try ParticipantRecord.insert(participant, keys: keys, timestamp: timestamp, in: db))
                }
            case .updated(let id):
                if writes {
                    var participant = try registered.participant(id: id)
                    participant.details = details
                    try ParticipantRecord.update(participant, timestamp: timestamp, in: db)
                }
            default:
                break
            }
        }
        return RegistrationReport(outcomes: outcomes.map { $0! }, likelyDuplicates: likelyDuplicates, committed: false)
    }

    /// Marks each row that a later row with the same e-mail or external id replaces.
    private static func supersededRows(_ rows: [ParticipantDetails]) -> [RegistrationReport.Outcome?] {
        var outcomes = [RegistrationReport.Outcome?](repeating: nil, count: rows.count)
        var lastByEmail = [String: Int](minimumCapacity: rows.count)
        var lastByExternalID = [String: Int](minimumCapacity: rows.count)
        for (index, details) in rows.enumerated().reversed() {
            let later = [lastByEmail[details.email], details.externalID.flatMap { lastByExternalID[$0] }]
                .compactMap { $0 }.min()
            if let later {
                outcomes[index] = .superseded(byRow: later)
            } else {
                lastByEmail[details.email] = index
                if let external = details.externalID { lastByExternalID[external] = index }
            }
        }
        return outcomes
    }

    /// Decides what a row does. The person is the one its external id names, else its e-mail.
    /// For someone registered, `details` becomes their record with the provided fields
    /// replaced; an external id is never cleared this way.
    private func match(_ details: inout ParticipantDetails, provided: Set<ParticipantField>) throws -> RegistrationReport.Outcome {
        guard let id = try details.externalID.flatMap(registered.id(externalID:)) ?? registered.id(email: details.email) else {
            return .created(id: 0)
        }
        if let conflict = try registered.uniquenessConflict(details, as: id) { return .conflict(conflict) }
        let existing = try registered.participant(id: id).details
        if let external = details.externalID, let registeredID = existing.externalID, external != registeredID {
            return .conflict(FieldError(
                field: ParticipantField.externalID.rawValue,
                message: "участник с этим e-mail (№\(id)) зарегистрирован по заявке «\(registeredID)», а не «\(external)»"
            ))
        }
        let externalID = details.externalID ?? existing.externalID
        details = existing.replacing(provided, from: details)
        details.externalID = externalID
        return existing == details ? .unchanged(id: id) : .updated(id: id)
    }
}
