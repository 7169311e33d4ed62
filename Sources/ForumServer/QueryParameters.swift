import ForumDomain
import Foundation
import Hummingbird

/// Typed query parameters: a value given but not readable is a 422 naming the parameter, never
/// ignored (`?participant=x` must not return the unfiltered trail), and so is a parameter given
/// twice (`?limit=1&limit=500`: which one would the client mean?). Read as HTML forms send them
/// (`application/x-www-form-urlencoded`: `+` is a space, `%2B` a plus).
struct QueryParameters {
    private let values: [String: [String]]

    init(_ request: Request) {
        self.init(query: request.uri.query ?? "")
    }

    init(query: String) {
        func decoded(_ text: Substring) -> String {
            let spaced = text.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        var values: [String: [String]] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[decoded(parts[0]), default: []].append(parts.count > 1 ? decoded(parts[1]) : "")
        }
        self.values = values
    }

    /// The raw value of `name`, if given once.
    func value(_ name: String) throws(ValidationFailure) -> String? {
        let values = values[name] ?? []
        guard values.count <= 1 else { throw ValidationFailure([FieldError(field: name, message: "параметр передан \(values.count) раза: нужен один")]) }
        return values.first
    }

    /// `name` read by `parse`; refused with ««value» — `expected`» when it reads nothing.
    func parsed<Value>(_ name: String, expected: String, _ parse: (String) -> Value?) throws(ValidationFailure) -> Value? {
        guard let value = try value(name) else { return nil }
        guard let parsed = parse(value) else {
            throw ValidationFailure([FieldError(field: name, message: "«\(PlainText.printable(String(value.prefix(40))))» — \(expected)")])
        }
        return parsed
    }

    /// The text of `name`, at most `maximumLength` characters of plain text.
    func text(_ name: String, maximumLength: Int) throws(ValidationFailure) -> String? {
        guard let value = try value(name) else { return nil }
        if let error = PlainText.fieldError(value, field: name, maximumLength: maximumLength) { throw ValidationFailure([error]) }
        return value
    }

    /// A whole number of `name` within `range`.
    func integer(_ name: String, in range: ClosedRange<Int64>) throws(ValidationFailure) -> Int64? {
        try parsed(name, expected: "ожидается целое число от \(range.lowerBound) до \(range.upperBound)") { Int64($0).flatMap { range.contains($0) ? $0 : nil } }
    }

    /// `true` or `false`.
    func flag(_ name: String) throws(ValidationFailure) -> Bool? {
        try parsed(name, expected: "ожидается true или false") { Bool($0) }
    }

    /// A list's slug (`entrance` or a session's).
    func slug(_ name: String) throws(ValidationFailure) -> String? {
        guard let value = try value(name) else { return nil }
        if let problem = Slug.problem(value) { throw ValidationFailure([FieldError(field: name, message: problem)]) }
        return value
    }

    /// A moment in RFC 3339 (`2027-01-15T07:12:00Z`, or with an offset: `…T10:12:00+03:00`;
    /// milliseconds allowed), the form the OpenAPI document gives. An offset's `+` typed into an
    /// address unencoded arrives as a space, and is read back as `+`.
    func moment(_ name: String) throws(ValidationFailure) -> Date? {
        try parsed(name, expected: "ожидается момент ISO 8601, например 2027-01-15T10:12:00+03:00") { text in
            let value = text.replacing(/\ (\d\d:\d\d)$/) { "+" + $0.1 }
            guard value.utf8.count <= 40, (try? Self.momentForm.wholeMatch(in: value)) != nil else { return nil }
            return (try? Date(value, strategy: .iso8601)) ?? (try? Date(value, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
    }

    nonisolated(unsafe) private static let momentForm = #/(19|20)\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?(Z|[+-](0\d|1[0-4]):[0-5]\d)/#
}
