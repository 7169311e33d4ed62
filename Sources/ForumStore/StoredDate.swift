import Foundation
import GRDB

/// A date as GRDB stores it (`yyyy-MM-dd HH:mm:ss.SSS`, UTC, to the nearest millisecond), written
/// without a `DateFormatter`: the check-in writer stores up to three dates a scan, and ICU's
/// formatter took a tenth of its time. Tests prove it gives GRDB's text for the same date.
enum StoredDate {
    /// The stored value, with the arithmetic Foundation's formatter does: milliseconds since
    /// 1970, rounded to the nearest.
    static func value(_ date: Date) -> DatabaseValue {
        let milliseconds = ((date.timeIntervalSinceReferenceDate + Date.timeIntervalBetween1970AndReferenceDate) * 1000).rounded()
        var seconds = time_t((milliseconds / 1000).rounded(.down))
        let fraction = Int(milliseconds - Double(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        // This century and later, the years scans happen in; GRDB's own formatting serves any
        // other (before 1970 its rounding differs).
        guard (2000...9999).contains(Int(parts.tm_year) + 1900) else { return date.databaseValue }
        var text: [UInt8] = []
        text.reserveCapacity(23)
        func append(_ value: Int, digits: Int) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            var value = value
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                value %= divisor
                divisor /= 10
            }
        }
        append(Int(parts.tm_year) + 1900, digits: 4)
        text.append(UInt8(ascii: "-"))
        append(Int(parts.tm_mon) + 1, digits: 2)
        text.append(UInt8(ascii: "-"))
        append(Int(parts.tm_mday), digits: 2)
        text.append(UInt8(ascii: " "))
        append(Int(parts.tm_hour), digits: 2)
        text.append(UInt8(ascii: ":"))
        append(Int(parts.tm_min), digits: 2)
        text.append(UInt8(ascii: ":"))
        append(Int(parts.tm_sec), digits: 2)
        text.append(UInt8(ascii: "."))
        append(fraction, digits: 3)
        return String(decoding: text, as: UTF8.self).databaseValue
    }
}
