import Foundation

/// A read-only link to the dashboard's figures for a screen at the venue, valid until it
/// expires or is revoked; only a hash of its key is kept.
public struct KioskLink: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    /// What the screen is («Экран в холле»).
    public var name: String
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(id: Int64, name: String, createdAt: Date, expiresAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// Whether it opens the figures at `now`.
    public func isValid(at now: Date) -> Bool {
        revokedAt == nil && now < expiresAt
    }
}
