import ForumDomain
import ForumTestSupport
import Testing

@Suite struct ScheduleCheckTests {
    private typealias S = SampleProgramme
    private let speaker = SessionPerson(name: "Сергей Кириенко", role: .speaker)

    private func rules(_ sessions: [Session], enrolments: [String: Int] = [:]) -> [ScheduleProblem.Rule] {
        ScheduleCheck(S.programme(sessions), enrolments: enrolments).problems().map(\.rule)
    }

    @Test func aCleanProgrammeHasNoProblems() {
        #expect(rules([S.session("a", from: "10:00", to: "11:00"), S.session("b", from: "11:00", to: "12:00")]).isEmpty)  // back to back
    }

    @Test func twoSessionsInOneRoomAtOnceIsAnErrorNamingBoth() throws {
        let problems = ScheduleCheck(S.programme([S.session("a", from: "10:00", to: "11:00"), S.session("b", from: "10:30", to: "12:00")])).problems()
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.rule == .roomDoubleBooked && problem.severity == .error)
        #expect(problem.sessions == ["a", "b"])
        #expect(problem.message.contains("Сессия a") && problem.message.contains("Сессия b") && problem.message.contains("Зал А"))
    }

    @Test func aPersonInTwoOverlappingSessionsIsAnError() {
        let person = SessionPerson(name: "сергей кириенко", role: .moderator)  // case and role do not matter
        #expect(rules([
            S.session("a", from: "10:00", to: "11:00", people: [speaker]),
            S.session("b", room: "hall-b", from: "10:30", to: "11:30", people: [person]),
        ]) == [.personDoubleBooked])
    }

    @Test func tooLittleTimeToWalkBetweenPavilionsIsAWarning() {
        let walk = [
            S.session("a", from: "10:00", to: "11:00", people: [speaker]),
            S.session("b", room: "hall-c", from: "11:05", to: "12:00", people: [speaker]),
        ]
        #expect(rules(walk) == [.walkingTime])
        #expect(ScheduleCheck(S.programme(walk)).problems().first?.severity == .warning)
        // Ten minutes is enough; within one pavilion no walk is needed.
        #expect(rules([S.session("a", from: "10:00", to: "11:00", people: [speaker]), S.session("b", room: "hall-c", from: "11:10", to: "12:00", people: [speaker])]).isEmpty)
        #expect(rules([S.session("a", from: "10:00", to: "11:00", people: [speaker]), S.session("b", room: "hall-b", from: "11:00", to: "12:00", people: [speaker])]).isEmpty)
    }

    @Test func aSessionOutsideTheForumsDaysOrHoursIsAnError() {
        #expect(rules([S.session("early", from: "08:00", to: "09:30")]) == [.outsideForumHours])
        #expect(rules([S.session("late", from: "17:30", to: "18:30", on: "2024-01-16")]) == [.outsideForumHours])
        #expect(rules([S.session("other-day", from: "10:00", to: "11:00", on: "2024-01-17")]) == [.outsideForumHours])
        #expect(rules([S.session("second-day", from: "10:00", to: "18:00", on: "2024-01-16")]).isEmpty)
    }

    @Test func moreSeatsThanTheRoomIsAWarning() {
        #expect(rules([S.session("a", from: "10:00", to: "11:00", capacity: 150)]) == [.capacityAboveRoom])
        #expect(rules([S.session("a", from: "10:00", to: "11:00", capacity: 100)]).isEmpty)
    }

    @Test func aCancelledSessionWithSignUpsIsAWarningAndOtherwiseIgnored() {
        var cancelled = S.session("a", from: "10:00", to: "11:00")
        cancelled.status = .cancelled
        let sessions = [cancelled, S.session("b", from: "10:00", to: "11:00")]
        #expect(rules(sessions).isEmpty)  // it no longer holds the room
        #expect(rules(sessions, enrolments: ["a": 3]) == [.cancelledWithEnrolments])
    }

    @Test func errorsComeBeforeWarnings() {
        let problems = rules([
            S.session("a", from: "10:00", to: "11:00", capacity: 500),
            S.session("b", from: "10:30", to: "11:30"),
        ])
        #expect(problems == [.roomDoubleBooked, .capacityAboveRoom])
    }
}

@Suite struct ProgrammeChangeTests {
    private typealias S = SampleProgramme

    @Test func theFirstReleaseAddsEverySession() {
        let changes = ProgrammeChange.between(nil, S.programme([S.session("a", from: "10:00", to: "11:00")]))
        #expect(changes.map(\.kind) == [.added])
    }

    @Test func eachKindOfChangeIsListed() {
        let old = S.programme([
            S.session("moved", from: "10:00", to: "11:00"),
            S.session("renamed", room: "hall-b", from: "10:00", to: "11:00"),
            S.session("cancelled", room: "hall-c", from: "10:00", to: "11:00"),
            S.session("gone", room: "hall-c", from: "12:00", to: "13:00"),
            S.session("speakers", room: "hall-c", from: "14:00", to: "15:00", people: [SessionPerson(name: "Анна Иванова", role: .speaker)]),
        ])
        var new = old
        new.sessions[0].start = S.at("11:00")
        new.sessions[0].end = S.at("12:00")
        new.sessions[0].room = "hall-b"
        new.sessions[1].title = "Новое название"
        new.sessions[2].status = .cancelled
        new.sessions.remove(at: 3)
        new.sessions[3].people = [SessionPerson(name: "Пётр Петров", role: .speaker)]
        new.sessions.append(S.session("added", from: "16:00", to: "17:00"))
        let changes = ProgrammeChange.between(old, new)
        #expect(changes.map(\.kind) == [.moved, .renamed, .cancelled, .speakersChanged, .added, .cancelled])
        #expect(changes.map(\.session) == ["moved", "renamed", "cancelled", "speakers", "added", "gone"])
        #expect(changes[0].detail == "перенесена: 15.01 10:00–11:00 → 15.01 11:00–12:00, зал «Зал А» → «Зал Б»")
        #expect(changes[1].detail == "было: «Сессия renamed»")
        #expect(changes[3].detail == "+ Пётр Петров; − Анна Иванова")
    }

    @Test func anUnchangedProgrammeHasNoChanges() {
        let programme = S.programme([S.session("a", from: "10:00", to: "11:00")])
        #expect(ProgrammeChange.between(programme, programme).isEmpty)
    }
}
