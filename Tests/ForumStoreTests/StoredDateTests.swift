import Foundation
import GRDB
@testable import ForumStore
import Testing

@Suite struct StoredDateTests {
    /// The fast text must be GRDB's, or dates written by the check-in writer would sort and
    /// compare differently from every other date in the database.
    @Test func itWritesWhatGRDBWritesForTheSameDate() {
        var generator = SystemRandomNumberGenerator()
        var dates = [Date(), Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_768_456_800.9995), Date(timeIntervalSince1970: 1_768_456_800.0004),
                     Date(timeIntervalSince1970: -1.5), Date(timeIntervalSince1970: 951_782_400)]  // 2000-02-29
        for _ in 0..<50_000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: 946_684_800...4_102_444_800, using: &generator)))  // 2000–2100
            dates.append(Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...946_684_800, using: &generator)))  // left to GRDB
        }
        for date in dates {
            #expect(StoredDate.value(date) == date.databaseValue, "\(date.timeIntervalSince1970)")
        }
    }

    @Test func storedTextIsReadBackToTheMillisecond() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 946_684_800...4_102_444_800, using: &generator))
            let text = try #require(String.fromDatabaseValue(StoredDate.value(date)))
            let seconds = try #require(StoredDate.seconds(text))
            #expect(abs(seconds - (date.timeIntervalSince1970 * 1000).rounded() / 1000) < 1e-6, "\(text)")
        }
        #expect(StoredDate.seconds("2024-02-29 23:59") == 1_709_251_140)
        #expect(StoredDate.seconds("2024-01-15 07:0") == nil && StoredDate.seconds("2024-13-01 00:00:00.000") == nil && StoredDate.seconds("вчера") == nil)
    }

    @Test func aYearBeyondFourDigitsIsLeftToGRDB() {
        let far = Date(timeIntervalSince1970: 400_000_000_000)
        #expect(StoredDate.value(far) == far.databaseValue)
    }
}
