import ForumDomain
import ForumStore
import Foundation

/// A forum database file in a fresh temporary directory, removed with the value. Tests that do
/// not test file behaviour use `ForumDatabase.inMemory()` instead.
public final class TemporaryDatabase: @unchecked Sendable {
    public let directory: URL
    public let path: String
    public let database: ForumDatabase

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("forumops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("forum.sqlite").path
        database = try ForumDatabase.open(path: path)
    }

    deinit {
        try? database.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Sample people for tests.
public enum Sample {
    /// A valid form; `number` varies the e-mail and external id.
    public static func form(_ number: Int = 1, lastName: String = "Кузьмина", firstName: String = "Алёна") -> ParticipantForm {
        var form = ParticipantForm()
        form[.lastName] = lastName
        form[.firstName] = firstName
        form[.patronymic] = "Петровна"
        form[.email] = "person\(number)@мэрия.рф"
        form[.phone] = "8 (912) 345-67-\(String(number % 100).leftPadded(to: 2))"
        form[.regionCode] = "16"
        form[.municipality] = "Городской округ город Казань"
        form[.organisation] = "Администрация"
        form[.position] = "Глава"
        form[.category] = "Участник"
        form[.externalID] = "MR-\(number)"
        return form
    }

    public static func details(_ number: Int = 1, lastName: String = "Кузьмина", firstName: String = "Алёна") -> ParticipantDetails {
        do {
            return try form(number, lastName: lastName, firstName: firstName).validated()
        } catch {
            preconditionFailure("the sample form is valid: \(error.summary)")
        }
    }
}

extension ForumDatabase {
    /// Registers rows that provide every field.
    public func register(
        _ details: [ParticipantDetails], policy: ConflictPolicy = .allOrNothing, dryRun: Bool = false, at now: Date = Date()
    ) async throws -> RegistrationReport {
        try await register(details.map { RegistrationRow($0) }, policy: policy, dryRun: dryRun, at: now)
    }
}
