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

    /// Seconds since 1970 of a stored text (`yyyy-MM-dd HH:mm:ss.SSS`, UTC; the seconds and
    /// milliseconds may be missing), read by position without a formatter: statistics read
    /// thousands of them. `nil` if the text is not in that form.
    static func seconds(_ text: String) -> Double? {
        var text = text
        return text.withUTF8(seconds(utf8:))
    }

    private static func seconds(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes.count >= 16, let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), (1...12).contains(month), (1...31).contains(day) else { return nil }
        let second = bytes.count >= 19 ? number(17..<19) ?? 0 : 0
        let millisecond = bytes.count >= 23 ? number(20..<23) ?? 0 : 0
        // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(((days * 24 + hour) * 60 + minute) * 60 + second) + Double(millisecond) / 1000
    }
}
