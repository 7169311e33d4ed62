import ForumDomain
import Foundation

/// What the dashboard's templates show, made from the day's figures: every value a string or
/// a list, so that the templates only place and escape them; text from the database is made
/// printable first (`PlainText.printable`), as on every screen. The charts are SVG from
/// `SVGChart`, already escaped.
struct DashboardView {
    /// «10:12:05», Moscow time.
    let time: String
    let registered: String
    let arrived: String
    let noShows: String
    let lists: [ListRow]
    let forecasts: [Forecast]
    let hasForecasts: Bool
    let arrivalsChart: String
    let desksChart: String
    let hasDesks: Bool
    let desks: [DeskRow]
    let hallsChart: String
    let hasHalls: Bool
    let regionsChart: String
    let categories: [GroupRow]

    struct ListRow {
        let title: String
        let checkedIn: String
        let refused: String
        let annulled: String
    }

    struct Forecast {
        let advice: String
        let detail: String
        let alert: Bool
    }

    struct DeskRow {
        let desk: String
        let token: String
        let last10: String
        let perMinute: String
        let refusals: String
        let lastSeen: String
        let state: String
        let alert: Bool
    }

    struct GroupRow {
        let name: String
        let registered: String
        let arrived: String
        let share: String
    }

    init(_ stats: ForumStats) {
        time = stats.generatedAt.formatted(Self.clock)
        registered = String(stats.registered)
        arrived = String(stats.registered - stats.noShows)
        noShows = String(stats.noShows)
        lists = stats.lists.map { list in
            ListRow(
                title: PlainText.printable(list.title), checkedIn: String(list.checkedIn),
                refused: list.refusalSummary,
                annulled: String(list.annulled)
            )
        }
        forecasts = stats.lists.compactMap { list in
            list.forecast.map { forecast in
                Forecast(advice: PlainText.printable(forecast.advice), detail: forecast.summary, alert: forecast.desksNeeded > forecast.desks)
            }
        }
        hasForecasts = !forecasts.isEmpty
        let entrance = stats.lists.first { $0.slug == CheckInList.entranceSlug }
        arrivalsChart = SVGChart.columns(
            (entrance?.arrivals ?? []).suffix(48).map { SVGChart.Bar(label: $0.label, value: Double($0.count), note: String($0.count)) },
            title: "Приход на вход по 10 минут"
        )
        desks = stats.desks.map { desk in
            DeskRow(
                desk: PlainText.printable(desk.desk), token: PlainText.printable(desk.token ?? "—"), last10: String(desk.scansLast10Minutes), perMinute: desk.scansPerMinute.oneDecimal,
                refusals: String(desk.refusals), lastSeen: desk.lastSeen.formatted(Self.clock), state: desk.state.russianName, alert: desk.state != .active
            )
        }
        hasDesks = !desks.isEmpty
        desksChart = SVGChart.rows(
            stats.desks.map { SVGChart.Bar(label: $0.desk, value: $0.scansPerMinute, note: "\($0.scansPerMinute.oneDecimal)/мин", alert: $0.state != .active) },
            title: "Стойки: сканов в минуту за 10 минут"
        )
        let halls = stats.sessions.filter { $0.checkedIn > 0 }
        hasHalls = !halls.isEmpty
        hallsChart = SVGChart.rows(
            halls.map { session in
                let seats = session.seats ?? 0
                return SVGChart.Bar(
                    label: session.title, value: seats > 0 ? Double(session.checkedIn) / Double(seats) : 0,
                    note: seats > 0 ? "\(session.checkedIn) из \(seats)" : String(session.checkedIn), alert: seats > 0 && session.checkedIn >= seats
                )
            },
            title: "Залы: заполненность", maximum: 1
        )
        regionsChart = SVGChart.rows(
            stats.regions.sorted { ($0.registered, $1.name) > ($1.registered, $0.name) }.prefix(20).map { region in
                SVGChart.Bar(label: region.name, value: region.share, note: "\(region.arrived) из \(region.registered)")
            },
            title: "Регионы: доля пришедших (20 самых больших делегаций)", maximum: 1
        )
        categories = stats.categories.map { GroupRow(name: $0.name, registered: String($0.registered), arrived: String($0.arrived), share: "\($0.share.wholePercent) %") }
    }

    private static let clock = Date.VerbatimFormatStyle(
        format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits)",
        timeZone: Forum.timeZone, calendar: Calendar(identifier: .gregorian)
    )

}
