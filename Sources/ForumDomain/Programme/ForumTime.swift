import Foundation

/// Wall-clock times of the forum's time zone: reading «2024-01-15» and «10:00» from the
/// programme file, writing «15.01» and «10:00» for people.
public struct ForumTime: Sendable {
    public let zone: TimeZone
    private let calendar: Calendar

    public init(_ zone: TimeZone = Forum.timeZone) {
        self.zone = zone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// The moment `time` («HH:MM») on `date` («YYYY-MM-DD») in this zone, or `nil` if either is
    /// not a real date or time.
    public func date(_ date: String, at time: String) -> Date? {
        let day = date.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        let clock = time.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard date.count == 10, time.count == 5, day.count == 3, clock.count == 2,
              let year = day[0], let month = day[1], let dayOfMonth = day[2], let hour = clock[0], let minute = clock[1],
              (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        let components = DateComponents(year: year, month: month, day: dayOfMonth, hour: hour, minute: minute)
        guard components.isValidDate(in: calendar), let moment = calendar.date(from: components) else { return nil }
        return moment
    }

    /// The moment a person typed: «ЧЧ:ММ» on `day` («ГГГГ-ММ-ДД»), or «ГГГГ-ММ-ДД ЧЧ:ММ».
    public func date(_ text: String, defaultDay day: String) -> Date? {
        let parts = text.split(separator: " ").map(String.init)
        return parts.count == 2 ? date(parts[0], at: parts[1]) : date(day, at: text)
    }

    /// «10:00».
    public func time(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(parts.hour ?? 0).leftPadded(to: 2) + ":" + String(parts.minute ?? 0).leftPadded(to: 2)
    }

    /// «15.01».
    public func day(_ date: Date) -> String {
        let parts = calendar.dateComponents([.day, .month], from: date)
        return String(parts.day ?? 0).leftPadded(to: 2) + "." + String(parts.month ?? 0).leftPadded(to: 2)
    }

    /// «15 января, понедельник».
    public func longDay(_ date: Date) -> String {
        let parts = calendar.dateComponents([.day, .month, .weekday], from: date)
        return "\(parts.day ?? 0) \(Self.months[(parts.month ?? 1) - 1]), \(Self.weekdays[(parts.weekday ?? 1) - 1])"
    }

    /// «10 января в 10:00».
    public func moment(_ date: Date) -> String {
        let parts = calendar.dateComponents([.day, .month], from: date)
        return "\(parts.day ?? 0) \(Self.months[(parts.month ?? 1) - 1]) в \(time(date))"
    }

    private static let months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]
    private static let weekdays = ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"]

    /// «2024-01-15».
    public func isoDay(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(parts.year ?? 0) + "-" + String(parts.month ?? 0).leftPadded(to: 2) + "-" + String(parts.day ?? 0).leftPadded(to: 2)
    }
}
