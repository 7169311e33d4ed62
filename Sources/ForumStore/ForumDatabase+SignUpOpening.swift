import Crypto
import ForumDomain
import Foundation
import GRDB

/// When participants may sign themselves up (through their personal page): for all sessions,
/// and per session where an organiser set another moment. Until a moment is set, sign-up on the
/// pages is closed; organisers sign people up at any time.
public struct SignUpOpening: Sendable, Hashable {
    /// The moment for every session without one of its own.
    public var all: Date?
    public var sessions: [String: Date]

    public init(all: Date? = nil, sessions: [String: Date] = [:]) {
        self.all = all
        self.sessions = sessions
    }

    /// When sign-up for `session` opens, if it was set.
    public func opens(_ session: String) -> Date? {
        sessions[session] ?? all
    }

    public func isOpen(_ session: String, at now: Date) -> Bool {
        opens(session).map { $0 <= now } ?? false
    }
}

extension ForumDatabase {
    /// Opens sign-up on the pages at `moment`, for `session` or (`nil`) for every session.
    public func openSignUp(at moment: Date, session: String? = nil) async throws -> SignUpOpening {
        try await writer.write { db in
            if let session { _ = try EnrollmentRecord.session(session, in: db) }
            try db.execute(sql: """
                INSERT INTO signup_opening (scope, opens_at) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET opens_at = excluded.opens_at
                """, arguments: [session ?? "*", moment])
            return try Self.signUpOpening(db)
        }
    }

    /// When sign-up opens, for all sessions and for those with a moment of their own.
    public func signUpOpening() async throws -> SignUpOpening {
        try await writer.read { db in try Self.signUpOpening(db) }
    }

    static func signUpOpening(_ db: Database) throws -> SignUpOpening {
        var opening = SignUpOpening()
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT scope, opens_at FROM signup_opening")) {
            let scope: String = try row.decode(atIndex: 0)
            let moment: Date = try row.decode(atIndex: 1)
            if scope == "*" { opening.all = moment } else { opening.sessions[scope] = moment }
        }
        return opening
    }

    /// The forum's own secret for what its pages sign (the forms' CSRF tokens), made once.
    public func pageSecret() async throws -> SymmetricKey {
        try await writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO server_secret (name, value) VALUES ('pages', ?)", arguments: [
                SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) },
            ])
            return SymmetricKey(data: try Data.fetchOne(db, sql: "SELECT value FROM server_secret WHERE name = 'pages'")!)
        }
    }
}
