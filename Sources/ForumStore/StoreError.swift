import ForumDomain

/// Why the store refused an operation, in words an organiser understands.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case participantNotFound(id: Int64)
    case tokenNotFound(id: Int64)
    /// The change would give one value (an e-mail, an external id) to two people.
    case conflict(FieldError)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "не удаётся открыть базу данных \(path): \(reason)"
        case .participantNotFound(let id): "участник №\(id) не найден"
        case .tokenNotFound(let id): "токен №\(id) не найден"
        case .conflict(let error): "\(error.field): \(error.message)"
        }
    }
}
