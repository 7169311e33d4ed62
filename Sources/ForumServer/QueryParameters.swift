import ForumDomain
import Foundation
import Hummingbird

/// Typed query parameters: a value given but not readable is a 422 naming the parameter, never
/// ignored (`?participant=x` must not return the unfiltered trail).
struct QueryParameters {
    let parameters: Hummingbird.Parameters

    init(_ request: Request) {
        parameters = request.uri.queryParameters
    }

    /// The text of `name`, at most `maximumLength` characters of plain text.
    func text(_ name: String, maximumLength: Int) throws(ValidationFailure) -> String? {
        guard let value = parameters[Substring(name)].map(String.init) else { return nil }
        if let error = PlainText.fieldError(value, field: name, maximumLength: maximumLength) { throw ValidationFailure([error]) }
        return value
    }

    /// A whole number of `name` within `range`.
    func integer(_ name: String, in range: ClosedRange<Int64>) throws(ValidationFailure) -> Int64? {
        guard let value = parameters[Substring(name)].map(String.init) else { return nil }
        guard let number = Int64(value), range.contains(number) else {
            throw ValidationFailure([FieldError(field: name, message: "«\(PlainText.printable(String(value.prefix(40))))» — ожидается целое число от \(range.lowerBound) до \(range.upperBound)")])
        }
        return number
    }

    /// A list's slug (`entrance` or a session's).
    func slug(_ name: String) throws(ValidationFailure) -> String? {
        guard let value = parameters[Substring(name)].map(String.init) else { return nil }
        if let problem = Slug.problem(value) { throw ValidationFailure([FieldError(field: name, message: problem)]) }
        return value
    }

    /// A moment in ISO 8601 (`2027-01-15T07:12:00Z`, or with an offset: `…T10:12:00+03:00`).
    func moment(_ name: String) throws(ValidationFailure) -> Date? {
        guard let value = parameters[Substring(name)].map(String.init) else { return nil }
        guard value.utf8.count <= 40, let moment = try? Date(value, strategy: .iso8601) else {
            throw ValidationFailure([FieldError(field: name, message: "«\(PlainText.printable(String(value.prefix(40))))» — ожидается момент ISO 8601, например 2027-01-15T10:12:00+03:00")])
        }
        return moment
    }
}
