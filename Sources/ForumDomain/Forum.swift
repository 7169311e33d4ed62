import Foundation

/// Facts about the forum that do not change with configuration.
public enum Forum {
    /// The forum's name until a programme says otherwise.
    public static let name = "Всероссийский муниципальный форум «Малая Родина — сила России»"
    /// The forum runs on Moscow time: every time shown to people is in this zone.
    public static let timeZone = TimeZone(identifier: "Europe/Moscow")!

    /// A moment as organisers read it, in Moscow time: «15.01.2027 10:00», or with seconds
    /// «15.01.2027 10:00:05».
    public static func moscowTime(_ date: Date, seconds: Bool = false) -> String {
        date.formatted(seconds ? stampWithSeconds : stamp)
    }

    private static let stamp = Date.VerbatimFormatStyle(
        format: "\(day: .twoDigits).\(month: .twoDigits).\(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
        timeZone: timeZone, calendar: Calendar(identifier: .gregorian)
    )
    private static let stampWithSeconds = Date.VerbatimFormatStyle(
        format: "\(day: .twoDigits).\(month: .twoDigits).\(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits)",
        timeZone: timeZone, calendar: Calendar(identifier: .gregorian)
    )
}
