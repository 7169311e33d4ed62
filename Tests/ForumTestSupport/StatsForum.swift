import ForumDomain
import ForumStore
import Foundation

extension SampleProgramme {
    /// The moment `statsForum`'s figures are read at: 10:12 Moscow time on the first day.
    public static let statsMoment = at("10:12")

    /// A morning with known figures, on the door forum (1–3 in Татарстан, 1 seated at `rt`)
    /// plus a speaker (4) and a participant (5) from Москва and a cancelled one (6):
    /// - «Вход 1»: 1 at 09:55 and 2 at 10:05 (either side of 10:00), 1 again at 10:06, an
    ///   unknown badge at 10:08; 2's check-in is then annulled;
    /// - «Вход 2»: 4 scanned offline at 10:07 and uploaded at 10:10;
    /// - «Зал А»: 1 into `rt` at 10:01.
    public static func statsForum(_ database: ForumDatabase) async throws {
        try await doorForum(database)
        func details(_ number: Int, region: String, category: String) throws -> ParticipantDetails {
            var form = Sample.form(number)
            form[.regionCode] = region
            form[.category] = category
            return try form.validated()
        }
        _ = try await database.register([
            try details(4, region: "77", category: "Спикер"), try details(5, region: "77", category: "Участник"), try details(6, region: "50", category: "Участник"),
        ])
        _ = try await database.cancelParticipant(id: 6)
        func scan(_ id: Int64, list: String = "entrance", desk: String, at clock: String, offline uploadedAt: String? = nil) async throws -> CheckInRecord {
            let request = CheckInRequest(
                credential: BadgeCredential(participantID: id, serial: 1), list: list, desk: desk, nonce: UUID().uuidString,
                scannedAt: uploadedAt == nil ? nil : at(clock), offline: uploadedAt != nil
            )
            return try await database.checkIn(request, at: at(uploadedAt ?? clock)).record
        }
        _ = try await scan(1, desk: "Вход 1", at: "09:55")
        let second = try await scan(2, desk: "Вход 1", at: "10:05")
        _ = try await scan(1, desk: "Вход 1", at: "10:06")
        _ = try await scan(99, desk: "Вход 1", at: "10:08")
        _ = try await scan(4, desk: "Вход 2", at: "10:07", offline: "10:10")
        _ = try await scan(1, list: "rt", desk: "Зал А", at: "10:01")
        _ = try await database.annulCheckIn(id: second.id, reason: "не тот человек", by: nil, at: at("10:11"))
    }
}
