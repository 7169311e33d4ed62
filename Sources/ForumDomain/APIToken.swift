import Foundation

/// A bearer token for the HTTP API, as stored: never the token itself, only facts about it.
public struct APIToken: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var name: String
    public var role: Role
    public var createdAt: Date
    public var revokedAt: Date?
    /// A desk's token that may reprint a badge (and revoke the old one) at the desk; an
    /// organiser's may always.
    public var mayReprint: Bool

    public init(id: Int64, name: String, role: Role, createdAt: Date, revokedAt: Date? = nil, mayReprint: Bool = false) {
        self.mayReprint = mayReprint
        self.id = id
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// Whether the token may reprint badges: an organiser's, or a desk's granted it.
    public var canReprint: Bool { role == .admin || (role == .desk && mayReprint) }

    /// What a token may do: organisers administer; desks look people up and check them in.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case admin
        case desk
        /// Reads `/metrics` and nothing else: a Prometheus scraper's own token.
        case metrics
    }
}
