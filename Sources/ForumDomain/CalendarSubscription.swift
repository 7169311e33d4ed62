/// How a calendar feed is offered to people: the e-ticket and «Мой форум» both link it.
public enum CalendarSubscription {
    /// The `webcal://` form of a feed's `http(s)://` address: what a phone opens as a
    /// subscription that keeps itself up to date, rather than a one-off download.
    public static func webcal(_ address: String) -> String {
        for scheme in ["https://", "http://"] where address.hasPrefix(scheme) {
            return "webcal://" + address.dropFirst(scheme.count)
        }
        return address
    }
}
