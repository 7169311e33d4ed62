import ForumDomain
import Foundation
import GRDB

/// The e-ticket sent for one badge.
public struct TicketSent: Sendable, Equatable {
    public var participantID: Int64
    public var badgeSerial: Int
    public var address: String
    public var messageID: String
    public var sentAt: Date

    public init(participantID: Int64, badgeSerial: Int, address: String, messageID: String, sentAt: Date) {
        self.participantID = participantID
        self.badgeSerial = badgeSerial
        self.address = address
        self.messageID = messageID
        self.sentAt = sentAt
    }
}

extension ForumDatabase {
    /// The registered participants `filter` selects whose current badge has not been mailed —
    /// with `onlyNew`, only those who were never sent any ticket — in registration order.
    public func ticketsDue(_ filter: ParticipantFilter, onlyNew: Bool = false) async throws -> [Participant] {
        var filter = filter
        filter.status = .registered
        filter.page = Page(number: 1, size: nil)
        let participants = try await participants(matching: filter).items
        let sent = try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT participant_id, badge_serial FROM ticket_mail").map { row -> (Int64, Int) in (row[0], row[1]) }
        }
        let everMailed = Set(sent.map(\.0))
        let mailed = Set(sent.map { "\($0.0)/\($0.1)" })
        return participants.filter { participant in
            onlyNew ? !everMailed.contains(participant.id) : !mailed.contains("\(participant.id)/\(participant.badgeSerial)")
        }
    }

    /// Notes that `ticket` went out: that badge is not mailed again.
    public func recordTicket(_ ticket: TicketSent) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO ticket_mail (participant_id, badge_serial, address, message_id, sent_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [ticket.participantID, ticket.badgeSerial, ticket.address, ticket.messageID, ticket.sentAt.databaseValue]
            )
        }
    }

    /// The tickets mailed to `participantID`, oldest first.
    public func ticketsSent(to participantID: Int64) async throws -> [TicketSent] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT participant_id, badge_serial, address, message_id, sent_at FROM ticket_mail WHERE participant_id = ? ORDER BY badge_serial",
                arguments: [participantID]
            ).map { TicketSent(participantID: $0[0], badgeSerial: $0[1], address: $0[2], messageID: $0[3], sentAt: $0[4]) }
        }
    }
}
