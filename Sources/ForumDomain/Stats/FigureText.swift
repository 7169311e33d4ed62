extension Double {
    /// A share (0…1) as whole percent, as the figures print it: 0.333 → 33.
    public var wholePercent: Int { Int((self * 100).rounded()) }

    /// A rate with one decimal, as the figures print it: «2.8».
    public var oneDecimal: String { String(format: "%.1f", self) }
}
