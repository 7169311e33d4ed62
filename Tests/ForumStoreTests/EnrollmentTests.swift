import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import Testing

@Suite struct EnrollmentTests {
    private typealias S = SampleProgramme

    /// A forum with `people` registered and a programme: `rt` (50 seats, 10:00–11:30), `lecture`
    /// (2 seats, 11:00–12:00, overlapping `rt`), `late` (2 seats, 13:00) and `panel` (no sign-up).
    private func forum(people: Int, database: ForumDatabase? = nil) async throws -> ForumDatabase {
        let database = try database ?? ForumDatabase.inMemory()
        _ = try await database.register((1...people).map { Sample.details($0) })
        _ = try await database.importProgramme(S.programme([
            S.session("rt", from: "10:00", to: "11:30", capacity: 50),
            S.session("lecture", room: "hall-b", from: "11:00", to: "12:00", capacity: 2),
            S.session("late", room: "hall-b", from: "13:00", to: "14:00", capacity: 2),
            S.session("panel", kind: .panel, room: "hall-c", from: "15:00", to: "16:00"),
        ]))
        return database
    }

    @Test func twoHundredConcurrentSignUpsForFiftySeatsSeatExactlyFifty() async throws {
        let temporary = try TemporaryDatabase()  // a real file: the pool's writer and readers
        let database = try await forum(people: 200, database: temporary.database)
        let states = try await withThrowingTaskGroup(of: Enrollment.State.self) { group in
            for id in 1...200 { group.addTask { try await database.enroll(participant: Int64(id), in: "rt").state } }
            return try await group.reduce(into: [Enrollment.State: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(states == [.seated: 50, .waitlisted: 150])
        let list = try await database.enrollments(in: "rt")
        #expect(list.count { $0.state == .seated } == 50)
        #expect(list.compactMap(\.waitlistPosition) == Array(1...150))
        #expect(try await database.seatsTaken() == ["rt": 50])
    }

    @Test func aFreedSeatGoesToTheFirstInTheQueue() async throws {
        let database = try await forum(people: 5)
        for id in 1...4 { _ = try await database.enroll(participant: Int64(id), in: "late") }
        #expect(try await database.enrollments(in: "late").map(\.state) == [.seated, .seated, .waitlisted, .waitlisted])
        #expect(try await database.enroll(participant: 3, in: "late").waitlistPosition == 1)  // twice changes nothing
        let withdrawal = try await database.withdraw(participant: 1, from: "late")
        #expect(withdrawal.promoted == 3)
        #expect(try await database.enrollments(in: "late").map(\.participantID) == [2, 3, 4])
        #expect(try await database.withdraw(participant: 4, from: "late").promoted == nil)  // a queue place frees no seat
        await #expect(throws: StoreError.self) { try await database.withdraw(participant: 4, from: "late") }
    }

    @Test func noSeatsInTwoOverlappingSessions() async throws {
        let database = try await forum(people: 2)
        _ = try await database.enroll(participant: 1, in: "rt")
        await #expect(throws: StoreError.self) { try await database.enroll(participant: 1, in: "lecture") }
        _ = try await database.enroll(participant: 1, in: "late")  // after it: fine
        _ = try await database.withdraw(participant: 1, from: "rt")
        #expect(try await database.enroll(participant: 1, in: "lecture").state == .seated)
    }

    @Test func aCancelledParticipantLosesSeatsAndTheQueueMovesUp() async throws {
        let database = try await forum(people: 3)
        for id in 1...3 { _ = try await database.enroll(participant: Int64(id), in: "late") }
        _ = try await database.cancelParticipant(id: 1)
        #expect(try await database.enrollments(in: "late").map(\.participantID) == [2, 3])
        #expect(try await database.enrollments(in: "late").allSatisfy { $0.state == .seated })
        #expect(try await database.enrollments(of: 1).isEmpty)
        await #expect(throws: StoreError.self) { try await database.enroll(participant: 1, in: "rt") }
    }

    @Test func signUpIsOnlyForLiveSessionsThatNeedIt() async throws {
        let database = try await forum(people: 2)
        await #expect(throws: StoreError.self) { try await database.enroll(participant: 1, in: "panel") }
        await #expect(throws: StoreError.notFound(.session, id: "nowhere")) { try await database.enroll(participant: 1, in: "nowhere") }
        await #expect(throws: StoreError.self) { try await database.enroll(participant: 99, in: "rt") }
        _ = try await database.enroll(participant: 2, in: "late")
        _ = try await database.updateSession("late") { $0.status = .cancelled }
        await #expect(throws: StoreError.self) { try await database.enroll(participant: 1, in: "late") }
        // The cancelled session still holds a sign-up: the check warns.
        #expect(try await database.checkProgramme().map(\.rule) == [.cancelledWithEnrolments])
    }
}

@Suite struct BadgeSerialTests {
    @Test func aReprintRaisesTheSerialAndACancelledRegistrationGetsNoBadge() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register([Sample.details(1), Sample.details(2)])
        #expect(try await database.participant(id: 1).badgeSerial == 1)
        #expect(try await database.reprintBadge(id: 1).badgeSerial == 2)
        #expect(try await database.reprintBadge(id: 1).badgeSerial == 3)
        #expect(try await database.participant(id: 1).badgeSerial == 3)
        _ = try await database.register([Sample.details(1)])  // a re-import keeps the serial
        #expect(try await database.participant(id: 1).badgeSerial == 3)
        _ = try await database.cancelParticipant(id: 2)
        await #expect(throws: StoreError.self) { try await database.reprintBadge(id: 2) }
    }

    @Test func aReprintRevokesTheOldBadge() async throws {
        let database = try ForumDatabase.inMemory()
        _ = try await database.register([Sample.details(1), Sample.details(2)])
        let first = BadgeCredential(participantID: 1, serial: try await database.participant(id: 1).badgeSerial)
        #expect(BadgeStanding(first, participant: try await database.participant(id: 1)) == .valid)
        let reprinted = try await database.reprintBadge(id: 1)
        #expect(BadgeStanding(first, participant: reprinted) == .revoked)
        #expect(BadgeStanding(BadgeCredential(participantID: 1, serial: reprinted.badgeSerial), participant: reprinted) == .valid)
        let cancelled = try await database.cancelParticipant(id: 2)
        #expect(BadgeStanding(BadgeCredential(participantID: 2, serial: 1), participant: cancelled) == .cancelled)
        #expect(BadgeStanding(BadgeCredential(participantID: 99, serial: 1), participant: nil) == .unknown)
    }
}
