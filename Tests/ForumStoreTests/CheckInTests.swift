import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import Testing

@Suite struct CheckInTests {
    private typealias S = SampleProgramme
    private let duringForum = SampleProgramme.at("10:30")

    /// `SampleProgramme.doorForum`: three registered, `rt` with sign-up, `talk` in a one-seat hall.
    private func forum(_ database: ForumDatabase? = nil) async throws -> ForumDatabase {
        let database = try database ?? ForumDatabase.inMemory()
        try await S.doorForum(database)
        return database
    }

    private func scan(_ database: ForumDatabase, _ id: Int64?, serial: Int = 1, list: String = "entrance", nonce: String = UUID().uuidString, at moment: Date? = nil) async throws -> CheckInAnswer {
        let credential = id.map { BadgeCredential(participantID: $0, serial: serial) }
        return try await database.checkIn(CheckInRequest(credential: credential, list: list, desk: "Вход 3", nonce: nonce), at: moment ?? duringForum)
    }

    @Test func everyReason() async throws {
        let database = try await forum()
        #expect(try await scan(database, 1).record.result == .ok)
        let again = try await scan(database, 1)
        #expect(again.record.result == .alreadyCheckedIn)
        #expect(again.first?.desk == "Вход 3" && again.first?.scannedAt == duringForum)
        #expect(try await scan(database, nil).record.result == .invalidSignature)
        // A server without its key says so instead of blaming the badge.
        let unverifiable = CheckInRequest(credential: nil, list: "entrance", desk: "Вход 3", nonce: "no-key", canVerify: false)
        #expect(try await database.checkIn(unverifiable, at: duringForum).record.result == .cannotVerify)
        #expect(try await scan(database, 99).record.result == .unknown)
        _ = try await database.reprintBadge(id: 2)
        #expect(try await scan(database, 2, serial: 1).record.result == .revoked)
        #expect(try await scan(database, 2, serial: 2).record.result == .ok)
        _ = try await database.cancelParticipant(id: 3)
        #expect(try await scan(database, 3).record.result == .cancelled)
        _ = try await database.reinstateParticipant(id: 3)
        #expect(try await scan(database, 3, at: S.at("08:00")).record.result == .outsideHours)
        #expect(try await scan(database, 2, serial: 2, list: "rt").record.result == .notEnrolled)
        #expect(try await scan(database, 1, list: "rt").record.result == .ok)
        #expect(try await scan(database, 1, list: "talk").record.result == .ok)
        #expect(try await scan(database, 2, serial: 2, list: "talk").record.result == .sessionFull)  // a one-seat hall
        _ = try await database.restrictCheckInList("entrance", to: [.speaker, .press])
        _ = try await database.reinstateParticipant(id: 3)
        #expect(try await scan(database, 3).record.result == .wrongList)
        await #expect(throws: StoreError.self) { try await scan(database, 1, list: "nowhere") }
        // Every answer is kept for the audit trail.
        #expect(try await database.checkIns().count == 14)
        #expect(Set(try await database.checkIns().map(\.result)) == Set(CheckInResult.allCases))
    }

    @Test func anOnlineScanIsJudgedByTheServersClockAnOfflineOneByWhenItWasScanned() async throws {
        let database = try await forum()
        let early = S.at("08:00")  // before the entrance opens
        func scan(_ id: Int64, offline: Bool) async throws -> CheckInRecord {
            try await database.checkIn(
                CheckInRequest(credential: BadgeCredential(participantID: id, serial: 1), list: "entrance", desk: "Вход 3", nonce: UUID().uuidString, scannedAt: early, offline: offline),
                at: duringForum
            ).record
        }
        let online = try await scan(1, offline: false)
        #expect(online.result == .ok && online.scannedAt == early)
        #expect(try await scan(2, offline: true).result == .outsideHours)
    }

    @Test func theSameNonceIsTheSameScan() async throws {
        let database = try await forum()
        let first = try await scan(database, 1, nonce: "desk3-0001")
        let retry = try await scan(database, 1, nonce: "desk3-0001")
        #expect(first.record.result == .ok && retry.record == first.record && retry.replayed)
        #expect(try await database.checkIns(participant: 1).count == 1)
    }

    @Test func oneBadgeAtManyDesksAtOnceGetsExactlyOneOK() async throws {
        let temporary = try TemporaryDatabase()
        let database = try await forum(temporary.database)
        let results = try await withThrowingTaskGroup(of: CheckInResult.self) { group in
            for desk in 1...40 {
                group.addTask {
                    try await database.checkIn(CheckInRequest(credential: BadgeCredential(participantID: 2, serial: 1), list: "entrance", desk: "Вход \(desk)", nonce: "n\(desk)"), at: SampleProgramme.at("10:30")).record.result
                }
            }
            return try await group.reduce(into: [CheckInResult: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(results == [.ok: 1, .alreadyCheckedIn: 39])
        #expect(try await database.admittedCount(list: "entrance") == 1)
    }

    @Test func anAnnulledCheckInStaysInTheTrailAndFreesThePlace() async throws {
        let database = try await forum()
        let ok = try await scan(database, 1).record
        await #expect(throws: ValidationFailure.self) { try await database.annulCheckIn(id: ok.id, reason: " ", by: nil) }
        let (lead, _) = try await database.createToken(name: "Старший смены", role: .admin)
        let annulled = try await database.annulCheckIn(id: ok.id, reason: "отметили не того человека", by: lead)
        #expect(annulled.annulledAt != nil && annulled.annulReason == "отметили не того человека")
        #expect(annulled.annulledBy == "Старший смены")
        #expect(try await scan(database, 1).record.result == .ok)  // may check in again
        #expect(try await database.checkIns(participant: 1).count == 2)
        await #expect(throws: StoreError.notFound(.checkIn, id: 999)) { try await database.annulCheckIn(id: 999, reason: "x", by: nil) }
    }

    @Test func aListOpensByHandAndListsFollowTheProgramme() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register([Sample.details(1)])
        // No programme yet: the entrance has no hours until opened by hand.
        let before = try await database.checkIn(CheckInRequest(credential: BadgeCredential(participantID: 1, serial: 1), list: "entrance", desk: "1", nonce: "a"))
        #expect(before.record.result == .outsideHours)
        _ = try await database.openCheckInList("entrance", until: Date().addingTimeInterval(3600))
        let rehearsal = try await database.checkIn(CheckInRequest(credential: BadgeCredential(participantID: 1, serial: 1), list: "entrance", desk: "1", nonce: "b"))
        #expect(rehearsal.record.result == .ok)
        _ = try await database.importProgramme(S.programme([S.session("rt", from: "10:00", to: "11:00")]))
        #expect(try await database.checkInLists().map(\.slug) == ["entrance", "rt"])
        #expect(try await database.checkInLists().first?.hours.count == 2)
    }
}
