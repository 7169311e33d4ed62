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
}

/// What to do with rows that conflict with the database.
public enum ConflictPolicy: Sendable {
    /// Write nothing if any row conflicts.
    case allOrNothing
    /// Write the rows that can be written.
    case skipConflicts
}

extension ForumDatabase {
    /// Registers a batch in one transaction. A row with a known external id or e-mail is the same
    /// person and updates the fields it provides (status, badge and feed token are kept);
    /// otherwise it is a new participant. Registering the same rows twice changes nothing the
    /// second time.
    public func register(
        _ rows: [RegistrationRow], policy: ConflictPolicy = .allOrNothing, dryRun: Bool = false,
        at now: Date = Date()
    ) async throws -> RegistrationReport {
        try await pool.writeWithoutTransaction { db in
            var report = RegistrationReport(outcomes: [], likelyDuplicates: [], committed: false)
            try db.inTransaction(.immediate) {
                var planner = try RegistrationPlanner(db: db)
                report = try planner.register(rows, applying: policy, at: now)
                report.committed = !dryRun && (policy == .skipConflicts || report.conflicts.isEmpty)
                return report.committed ? .commit : .rollback
            }
            return report
        }
    }
}

/// Matches a batch against the registered participants and writes the result.
private struct RegistrationPlanner {
    let db: Database
    var byID: [Int64: Participant] = [:]
    var idByEmail: [String: Int64] = [:]
    var idByExternalID: [String: Int64] = [:]
    var idByDuplicateKey: [String: Int64] = [:]

    init(db: Database) throws {
        self.db = db
        for row in try Row.fetchAll(db, sql: "SELECT * FROM participant") {
            remember(ParticipantRow.participant(row))
        }
    }

    mutating func remember(_ participant: Participant) {
        let details = participant.details
        byID[participant.id] = participant
        idByEmail[details.email] = participant.id
        if let external = details.externalID { idByExternalID[external] = participant.id }
        let duplicateKey = details.likelyDuplicateKey
        idByDuplicateKey[duplicateKey] = idByDuplicateKey[duplicateKey] ?? participant.id
    }

    mutating func register(_ submitted: [RegistrationRow], applying policy: ConflictPolicy, at now: Date) throws -> RegistrationReport {
        var rows = submitted.map(\.details)
        var outcomes = Self.supersededRows(rows)
        var rowByMatchedID: [Int64: Int] = [:]
        for index in rows.indices where outcomes[index] == nil {
            outcomes[index] = match(&rows[index], provided: submitted[index].provided)
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
        for (index, details) in rows.enumerated() {
            switch outcomes[index] {
            case .created:
                let key = details.likelyDuplicateKey
                let (existingID, earlierRow) = (idByDuplicateKey[key], newRowByDuplicateKey[key])
                if existingID != nil || earlierRow != nil {
                    likelyDuplicates.append(.init(
                        row: index, fullName: details.fullName, municipality: details.municipality,
                        existingID: existingID, earlierRow: earlierRow
                    ))
                }
                if earlierRow == nil { newRowByDuplicateKey[key] = index }
                if writes {
                    let participant = Participant(
                        id: 0, details: details, feedToken: ParticipantRow.newFeedToken(), createdAt: now, updatedAt: now
                    )
                    outcomes[index] = .created(id: try ParticipantRow.insert(participant, timestamp: timestamp, in: db))
                }
            case .updated(let id):
                if writes {
                    var participant = byID[id]!
                    participant.details = details
                    try ParticipantRow.update(participant, timestamp: timestamp, in: db)
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
        var lastByEmail: [String: Int] = [:]
        var lastByExternalID: [String: Int] = [:]
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

    /// Decides what a row does. For someone registered, `details` becomes their record with the
    /// provided fields replaced; an external id is never cleared this way.
    private func match(_ details: inout ParticipantDetails, provided: Set<ParticipantField>) -> RegistrationReport.Outcome {
        let byExternal = details.externalID.flatMap { idByExternalID[$0] }
        let byEmail = idByEmail[details.email]
        switch (byExternal, byEmail) {
        case (nil, nil):
            return .created(id: 0)
        case (let external?, let email?) where external != email:
            return .conflict(FieldError(
                field: ParticipantField.email.rawValue,
                message: "этот e-mail уже указан у другого участника (№\(email)), а номер заявки — у №\(external)"
            ))
        case (let id?, _), (nil, let id?):
            let existing = byID[id]!.details
            if let external = details.externalID, let registered = existing.externalID, external != registered {
                return .conflict(FieldError(
                    field: ParticipantField.externalID.rawValue,
                    message: "участник с этим e-mail (№\(id)) зарегистрирован по заявке «\(registered)», а не «\(external)»"
                ))
            }
            let externalID = details.externalID ?? existing.externalID
            details = existing.replacing(provided, from: details)
            details.externalID = externalID
            return existing == details ? .unchanged(id: id) : .updated(id: id)
        }
    }
}
