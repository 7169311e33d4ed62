/// One field that failed validation, with a message for a person («не указан e-mail»).
public struct FieldError: Sendable, Hashable, Codable, Error {
    /// The field's API name (`email`, `regionCode`…).
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Input that cannot be accepted; lists every bad field, not just the first.
public struct ValidationFailure: Error, Sendable, Hashable {
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) {
        self.errors = errors
    }

    /// «поле: сообщение; поле: сообщение».
    public var summary: String {
        errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
    }
}
