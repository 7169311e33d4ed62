import ForumDomain
import ForumStore
import ForumTestSupport
import Foundation
import Testing

@Suite struct StatsTests {
    private typealias S = SampleProgramme

    private func stats() async throws -> ForumStats {
        let database = try ForumDatabase.inMemory()
        try await S.statsForum(database)
        return try await database.stats(at: S.statsMoment)
    }

    @Test func listsCountCheckInsRefusalsAndAnnulments() async throws {
        let stats = try await stats()
        #expect(stats.registered == 5 && stats.noShows == 3)
        #expect(stats.lists.map(\.slug) == ["entrance", "rt"])  // a hall appears once scanned at
        let entrance = stats.lists[0]
        #expect(entrance.checkedIn == 2 && entrance.annulled == 1)
        #expect(entrance.refused == ["already_checked_in": 1, "unknown": 1])
        #expect(stats.lists[1].checkedIn == 1 && stats.lists[1].refused.isEmpty)
    }

    @Test func arrivalsAreCountedPerTenMinutesInMoscowTimeAcrossTheHour() async throws {
        let entrance = try await stats().lists[0]
        // 1 at 09:55; 2 at 10:05 was annulled; 4 at 10:07 (scanned offline, counted when scanned).
        #expect(entrance.arrivals.map(\.label) == ["09:50", "10:00"])
        #expect(entrance.arrivals.map(\.count) == [1, 1])
        #expect(entrance.arrivals[1].start == S.at("10:00"))
    }

    @Test func categoriesAndRegionsCountRegisteredAndArrived() async throws {
        let stats = try await stats()
        #expect(stats.categories.map(\.code) == ["participant", "speaker"])
        #expect(stats.categories.map(\.registered) == [4, 1] && stats.categories.map(\.arrived) == [1, 1])
        #expect(stats.regions.map(\.code) == ["16", "77"])  // the cancelled person's region is not listed
        #expect(stats.regions.map(\.name) == ["Республика Татарстан", "Москва"])
        #expect(stats.regions.map(\.registered) == [3, 2] && stats.regions.map(\.arrived) == [1, 1] && stats.regions.map(\.noShows) == [2, 1])
        #expect(stats.regions[1].share == 0.5)
    }

    @Test func sessionsShowSeatsSignUpsAndTheHall() async throws {
        let sessions = try await stats().sessions
        #expect(sessions.map(\.slug) == ["rt", "talk"])
        #expect(sessions[0].seats == 10 && sessions[0].signedUp == 1 && sessions[0].waitlisted == 0 && sessions[0].checkedIn == 1)
        #expect(sessions[1].seats == 1 && sessions[1].signedUp == 0 && sessions[1].checkedIn == 0)  // the room's capacity
    }

    @Test func desksShowTheirPaceLateUploadsAndSilence() async throws {
        let desks = try await stats().desks
        #expect(desks.map(\.desk) == ["Вход 1", "Вход 2", "Зал А"])
        let (first, second, hall) = (desks[0], desks[1], desks[2])
        #expect(first.scans == 4 && first.scansLast10Minutes == 3 && first.refusals == 2 && first.state == .active)
        #expect(first.lastSeen == S.at("10:08") && first.scansPerMinute == 0.3)
        #expect(second.scans == 1 && second.lateUploads == 1 && second.lateUploadsLast10Minutes == 1 && second.state == .late)
        #expect(hall.lastSeen == S.at("10:01") && hall.state == .quiet)  // eleven minutes without a scan
    }

    @Test func anHourLaterTheDesksKeepTheirLastSeenAndTheForecastEnds() async throws {
        let database = try ForumDatabase.inMemory()
        try await S.statsForum(database)
        let stats = try await database.stats(at: S.statsMoment.addingTimeInterval(3600))
        // «Вход 2» was last seen when its offline scan reached the server.
        #expect(stats.desks.map(\.lastSeen) == [S.at("10:08"), S.at("10:10"), S.at("10:01")])
        #expect(stats.desks.map(\.state) == [.quiet, .quiet, .quiet] && stats.desks.allSatisfy { $0.scansLast10Minutes == 0 && $0.lateUploadsLast10Minutes == 0 })
        #expect(stats.desks.map(\.scans) == [4, 1, 1] && stats.desks.map(\.lateUploads) == [0, 1, 0])
        #expect(stats.lists.allSatisfy { $0.forecast == nil })
    }

    @Test func theEntranceHasAForecastWhileItsDesksWork() async throws {
        let forecast = try #require(try await stats().lists[0].forecast)
        #expect(forecast.desks == 2)  // «Вход 1» and «Вход 2» scanned in the last five minutes
        #expect(forecast.capacityPerMinute == 10)  // neither measured yet: 12 s a person each
        // 4 scans in the last ten minutes, 1 of them in the last five: 0.2 a minute, falling.
        #expect(abs(forecast.arrivalsPerMinute - 0.2) < 1e-9 && forecast.desksNeeded == 1)
        #expect(forecast.advice == "Стоек достаточно (Вход на форум): приходят меньше 1 чел./мин, ожидание меньше минуты.")
    }
}
