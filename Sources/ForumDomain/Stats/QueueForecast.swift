import Foundation

/// How the queue at one list is likely to go in the next minutes, and how many desks it needs:
/// an M/M/c queue (Erlang C). Arrivals are the scans of the last ten minutes: the rate of the
/// last five, plus once more its rise over the five before (a falling rate is not extrapolated:
/// the forecast errs towards more desks); each desk serves at its own rate, the
/// median time between its consecutive scans (gaps of two minutes or more are pauses, not
/// service). The desks needed are the fewest that keep desks at most 85 % busy and the
/// expected wait within the target.
public struct QueueForecast: Sendable, Hashable, Codable {
    /// The arrival rate expected over the next five minutes, people a minute (λ).
    public var arrivalsPerMinute: Double
    /// People a minute the desks now working can serve together (c·μ).
    public var capacityPerMinute: Double
    /// Desks that scanned in the last five minutes (c).
    public var desks: Int
    /// λ / (c·μ); above 1 the queue grows without bound. `nil` without desks.
    public var utilisation: Double?
    /// The expected wait in the queue, minutes (Erlang C); `nil` when it grows without bound
    /// or there are no desks.
    public var waitMinutes: Double?
    /// How fast the queue grows, people a minute (λ − c·μ, when positive).
    public var queueGrowthPerMinute: Double
    /// The fewest desks that keep the wait within the target.
    public var desksNeeded: Int
    /// What to do, in words.
    public var advice: String

    /// What the forecast is made from.
    public struct Input: Sendable {
        /// Scans at the list (any result: each is a person served) per minute over the last ten
        /// minutes, oldest first.
        public var scansPerMinute: [Int]
        /// For each desk that scanned in the last five minutes: its service time, seconds, if it
        /// made enough consecutive scans to measure it.
        public var deskServiceSeconds: [Double?]
        /// The service time assumed for a desk not yet measured.
        public var defaultServiceSeconds: Double
        /// The wait the forecast keeps people within, minutes.
        public var targetWaitMinutes: Double

        public init(scansPerMinute: [Int], deskServiceSeconds: [Double?], defaultServiceSeconds: Double = 12, targetWaitMinutes: Double = 2) {
            self.scansPerMinute = scansPerMinute
            self.deskServiceSeconds = deskServiceSeconds
            self.defaultServiceSeconds = defaultServiceSeconds
            self.targetWaitMinutes = targetWaitMinutes
        }
    }

    /// The figures behind the advice: «стоек 4, приходят 15.0/мин, пропускают 20.0/мин, загрузка 75 %».
    public var summary: String {
        "стоек \(desks), приходят \(arrivalsPerMinute.oneDecimal)/мин, пропускают \(capacityPerMinute.oneDecimal)/мин"
            + (utilisation.map { ", загрузка \($0.wholePercent) %" } ?? "")
    }

    /// No desk serves a person in less: a burst of scans seconds apart (a group waved through,
    /// a batch uploaded) is not a desk's pace.
    public static let fastestServiceSeconds = 3.0

    /// The highest share of time a desk may be busy in the plan: headroom for a burst.
    public static let plannedUtilisation = 0.85

    public init(_ input: Input, place: String) {
        let minutes = input.scansPerMinute
        let half = max(1, minutes.count / 2)
        let recent = Double(minutes.suffix(half).reduce(0, +)) / Double(half)
        let earlier = Double(minutes.dropLast(half).reduce(0, +)) / Double(max(1, minutes.count - half))
        // One more step of a rise: a rush that is building is planned for, not chased; a falling
        // rate is taken as it is now.
        let lambda = recent + max(0, recent - earlier)
        let rates = input.deskServiceSeconds.map { 60 / max(Self.fastestServiceSeconds, $0 ?? input.defaultServiceSeconds) }
        let mu = rates.isEmpty ? 60 / max(Self.fastestServiceSeconds, input.defaultServiceSeconds) : rates.reduce(0, +) / Double(rates.count)
        desks = rates.count
        arrivalsPerMinute = lambda
        capacityPerMinute = rates.reduce(0, +)
        utilisation = desks == 0 ? nil : lambda / capacityPerMinute
        waitMinutes = desks == 0 ? nil : Self.erlangCWait(arrivals: lambda, servicePerDesk: mu, desks: desks)
        queueGrowthPerMinute = max(0, lambda - capacityPerMinute)
        var needed = lambda == 0 ? 0 : 1
        while lambda > 0, needed < 500 {
            let wait = Self.erlangCWait(arrivals: lambda, servicePerDesk: mu, desks: needed)
            if let wait, wait <= input.targetWaitMinutes, lambda / (Double(needed) * mu) <= Self.plannedUtilisation { break }
            needed += 1
        }
        desksNeeded = needed
        advice = Self.advice(
            place: place, lambda: lambda, capacity: capacityPerMinute, desks: desks, needed: needed, wait: waitMinutes, growth: queueGrowthPerMinute,
            target: input.targetWaitMinutes
        )
    }

    /// A desk's service time, seconds: the median gap between its consecutive scans (`times`,
    /// seconds, ascending), gaps of two minutes or more left out as pauses; `nil` with fewer
    /// than five gaps to go by. With few people about, the gaps include waiting for the next
    /// one: the desk then looks slower than it is, and the forecast errs towards more desks.
    public static func serviceSeconds(scanTimes times: [Double]) -> Double? {
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }.filter { $0 < 120 }.sorted()
        guard gaps.count >= 5 else { return nil }
        let middle = gaps.count / 2
        return gaps.count % 2 == 1 ? gaps[middle] : (gaps[middle - 1] + gaps[middle]) / 2
    }

    /// The expected wait in an M/M/c queue, minutes: Erlang C's probability of waiting over
    /// the spare service rate. `nil` when the desks cannot keep up (λ ≥ c·μ).
    public static func erlangCWait(arrivals lambda: Double, servicePerDesk mu: Double, desks c: Int) -> Double? {
        guard c > 0, mu > 0 else { return nil }
        guard lambda > 0 else { return 0 }
        let offered = lambda / mu  // a, in Erlangs
        let rho = offered / Double(c)
        guard rho < 1 else { return nil }
        // Erlang B by its stable recurrence, then C from B.
        var blocking = 1.0
        for k in 1...c { blocking = offered * blocking / (Double(k) + offered * blocking) }
        let waiting = blocking / (1 - rho * (1 - blocking))
        return waiting / (Double(c) * mu - lambda)
    }

    private static func advice(
        place: String, lambda: Double, capacity: Double, desks: Int, needed: Int, wait: Double?, growth: Double, target: Double
    ) -> String {
        let arriving = "приходят \(lambda < 1 ? "меньше 1" : "~\(Int(lambda.rounded()))") чел./мин"
        if lambda == 0 { return "\(place): сканов не было 5 минут." }
        if needed > desks {
            let more = needed - desks
            let throughput = "\(arriving), стойки пропускают ~\(Int(capacity.rounded()))"
            let reason = if growth >= 1 {
                "очередь растёт ~\(Int(growth.rounded())) чел./мин (\(throughput))"
            } else if let wait, wait > target {
                "ожидание \(minutes(wait)) (\(arriving))"
            } else {
                "стойки заняты на \((lambda / max(capacity, 0.001)).wholePercent) %, запаса на наплыв нет (\(throughput))"
            }
            return "Откройте ещё \(more) \(desksAccusative(more)) (\(place)): \(reason)."
        }
        if desks - needed >= 2 {
            let fewer = desks - needed
            return "Можно закрыть \(fewer) \(desksAccusative(fewer)) (\(place)): \(arriving), хватит \(needed)."
        }
        return "Стоек достаточно (\(place)): \(arriving), ожидание \(minutes(wait ?? 0))."
    }

    private static func minutes(_ value: Double) -> String {
        value < 1 ? "меньше минуты" : "~\(Int(value.rounded())) мин"
    }

    /// «стойку», «стойки», «стоек» after a count («откройте ещё …»).
    static func desksAccusative(_ count: Int) -> String {
        let lastTwo = count % 100, last = count % 10
        if (11...14).contains(lastTwo) { return "стоек" }
        if last == 1 { return "стойку" }
        if (2...4).contains(last) { return "стойки" }
        return "стоек"
    }
}
