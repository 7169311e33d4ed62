import ForumDomain

/// What one badge shows, taken from a registration.
public struct BadgeContent: Sendable, Hashable {
    public var surname: String
    /// First name and patronymic.
    public var givenNames: String
    public var position: String?
    public var municipality: String
    public var region: String
    public var category: ParticipantCategory
    /// The signed QR text.
    public var code: String
    public var forumName: String

    public init(_ participant: Participant, code: String, forumName: String) {
        let details = participant.details
        surname = details.lastName
        givenNames = [details.firstName, details.patronymic].compactMap { $0 }.joined(separator: " ")
        position = details.position
        municipality = details.municipality
        region = details.region.name
        category = details.category
        self.code = code
        self.forumName = forumName
    }
}
