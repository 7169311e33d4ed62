import ForumDomain
import Foundation

/// An RFC 9457 problem document (`application/problem+json`) as forumops writes it: a stable
/// `type` under `urn:forumops:problem:`, a Russian `title` and `detail`, and the failing fields.
/// A client tells forumops' own refusals from anything else in between (a proxy's error page,
/// another server at a wrong address) by that type.
public struct ProblemDocument: Error, Sendable, Hashable, Codable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    public var errors: [FieldError]?
    public var requestId: String?

    public static let typePrefix = "urn:forumops:problem:"
    public static let mediaType = "application/problem+json"

    public init(slug: String, status: Int, title: String, detail: String? = nil, errors: [FieldError]? = nil) {
        type = Self.typePrefix + slug
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
    }

    /// The part of `type` after the prefix (`validation`, `not-found`…); `nil` if it is not forumops'.
    public var slug: String? {
        type.hasPrefix(Self.typePrefix) ? String(type.dropFirst(Self.typePrefix.count)) : nil
    }

    /// Whether forumops refused the request itself, for good — what was sent is wrong, or names
    /// something that is not there — rather than the address, the token or the server's state.
    public var refusesTheRequest: Bool {
        ["validation", "not-found", "conflict", "malformed-body", "body-too-large"].contains(slug ?? "")
    }

    /// The problem forumops wrote in `body`, or `nil` for anything else (someone else's error
    /// page, JSON without forumops' type).
    public static func forumops(in body: Data, contentType: String?) -> ProblemDocument? {
        guard let contentType, contentType.lowercased().hasPrefix(mediaType),
              let problem = try? APIJSON.decoder.decode(ProblemDocument.self, from: body), problem.slug != nil
        else { return nil }
        return problem
    }
}

/// The one JSON encoding of the API, for both sides: sorted keys and ISO 8601 dates, so the
/// same data gives the same bytes (stable ETags, readable diffs).
public enum APIJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
