import Foundation

/// Facts about the forum that do not change with configuration.
public enum Forum {
    /// The forum's name until a programme says otherwise.
    public static let name = "Всероссийский муниципальный форум «Малая Родина — сила России»"
    /// The forum runs on Moscow time: every time shown to people is in this zone.
    public static let timeZone = TimeZone(identifier: "Europe/Moscow")!
}
