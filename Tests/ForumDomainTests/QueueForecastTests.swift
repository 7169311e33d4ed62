import ForumDomain
import Testing

@Suite struct QueueForecastTests {
    @Test func erlangCGivesTheTextbookWaits() throws {
        // M/M/1: Wq = ρ / (μ − λ) = 0.6 / 2.
        #expect(abs(try #require(QueueForecast.erlangCWait(arrivals: 3, servicePerDesk: 5, desks: 1)) - 0.3) < 1e-9)
        // M/M/2 with a = 1: C = 1/3, Wq = C / (cμ − λ) = 1/3.
        #expect(abs(try #require(QueueForecast.erlangCWait(arrivals: 1, servicePerDesk: 1, desks: 2)) - 1.0 / 3) < 1e-9)
        #expect(QueueForecast.erlangCWait(arrivals: 10, servicePerDesk: 5, desks: 2) == nil)  // ρ = 1: no steady state
        #expect(QueueForecast.erlangCWait(arrivals: 0, servicePerDesk: 5, desks: 2) == 0)
    }

    @Test func aCalmMorningCanCloseDesks() {
        // Ten desks of 12 s a person (50 a minute together), 8 people a minute, steady.
        let forecast = QueueForecast(.init(scansPerMinute: Array(repeating: 8, count: 10), deskServiceSeconds: Array(repeating: 12, count: 10)), place: "вход")
        #expect(forecast.arrivalsPerMinute == 8 && forecast.capacityPerMinute == 50 && forecast.desks == 10)
        #expect(abs((forecast.utilisation ?? 0) - 0.16) < 1e-9)
        #expect(forecast.desksNeeded == 2)  // 80 % busy, a wait of about 20 s
        #expect(forecast.advice == "Можно закрыть 8 стоек (вход): приходят ~8 чел./мин, хватит 2.")
    }

    @Test func aRushAsksForMoreDesksAndSaysHowFastTheQueueGrows() {
        // Ten desks serve 50 a minute; the rate rose from 30 to 50 a minute and is still rising.
        let forecast = QueueForecast(
            .init(scansPerMinute: [30, 30, 30, 30, 30, 50, 50, 50, 50, 50], deskServiceSeconds: Array(repeating: 12, count: 10)), place: "вход"
        )
        #expect(forecast.arrivalsPerMinute == 70)
        #expect(forecast.waitMinutes == nil && forecast.queueGrowthPerMinute == 20)
        #expect(forecast.desksNeeded == 17)  // 70 / (17 · 5) ≈ 82 % busy
        #expect(forecast.advice == "Откройте ещё 7 стоек (вход): очередь растёт ~20 чел./мин (приходят ~70 чел./мин, стойки пропускают ~50).")
    }

    @Test func aDeskGoingSilentIsNoticed() {
        let steady = Array(repeating: 15, count: 10)
        let four = QueueForecast(.init(scansPerMinute: steady, deskServiceSeconds: [12, 12, 12, 12]), place: "вход")
        #expect(four.desksNeeded == 4)
        #expect(four.advice == "Стоек достаточно (вход): приходят ~15 чел./мин, ожидание меньше минуты.")  // Wq ≈ 0.1 min
        // One desk stops scanning: it is no longer among the desks of the last five minutes.
        let three = QueueForecast(.init(scansPerMinute: steady, deskServiceSeconds: [12, 12, 12]), place: "вход")
        #expect(three.utilisation == 1 && three.waitMinutes == nil)
        #expect(three.advice.hasPrefix("Откройте ещё 1 стойку (вход)"))
    }

    @Test func aSlowDeskCountsAtItsOwnRateAndAnUnmeasuredOneAtTheDefault() {
        let forecast = QueueForecast(.init(scansPerMinute: Array(repeating: 6, count: 10), deskServiceSeconds: [30, nil], defaultServiceSeconds: 12), place: "вход")
        #expect(forecast.capacityPerMinute == 2 + 5)
    }

    @Test func desksBusyBeyondThePlanAreToldSoEvenBeforeAQueue() {
        // 20 desks of 8 s a person (150 a minute) for 146 a minute: 97 % busy, no queue yet.
        let forecast = QueueForecast(.init(scansPerMinute: Array(repeating: 146, count: 10), deskServiceSeconds: Array(repeating: 8, count: 20)), place: "вход")
        #expect(forecast.queueGrowthPerMinute == 0 && forecast.desksNeeded == 23)
        #expect(forecast.advice == "Откройте ещё 3 стойки (вход): стойки заняты на 97 %, запаса на наплыв нет (приходят ~146 чел./мин, стойки пропускают ~150).")
    }

    @Test func aBurstOfScansIsNotADesksPace() {
        // Scans a second apart (a batch uploaded) count as 3 s a person: 20 a minute, not 60.
        let forecast = QueueForecast(.init(scansPerMinute: Array(repeating: 6, count: 10), deskServiceSeconds: [1]), place: "вход")
        #expect(forecast.capacityPerMinute == 20)
    }

    @Test func aDesksServiceTimeIsTheMedianGapPausesAside() {
        let times = [0.0, 10, 20, 30, 40, 50, 60, 400, 410, 421]  // a pause of almost six minutes
        #expect(QueueForecast.serviceSeconds(scanTimes: times) == 10)
        #expect(QueueForecast.serviceSeconds(scanTimes: [0, 10, 20, 30, 40]) == nil)  // four gaps: too few
    }

    @Test func noScansNoAdviceToOpen() {
        let forecast = QueueForecast(.init(scansPerMinute: Array(repeating: 0, count: 10), deskServiceSeconds: [nil]), place: "вход")
        #expect(forecast.desksNeeded == 0 && forecast.advice == "вход: сканов не было 5 минут.")
    }
}
