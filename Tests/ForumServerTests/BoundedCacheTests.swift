@testable import ForumServer
import Testing

@Suite struct BoundedCacheTests {
    @Test func itNeverHoldsMoreThanTwoGenerationsAndKeepsWhatIsUsed() {
        let cache = BoundedCache<Int, String>(capacity: 100)
        for key in 0..<10_000 {
            _ = cache.value(for: key) { "значение \(key)" }
            _ = cache.value(for: 0) { "значение 0" }  // used all along
        }
        #expect(cache.count <= 200)
        #expect(cache.cached(0) == "значение 0")
        #expect(cache.cached(1) == nil)  // used once, long ago: forgotten
        #expect(cache.cached(9_999) == "значение 9999")
    }

    @Test func aValueThatIsNoLongerCurrentIsMadeAgain() {
        let cache = BoundedCache<Int, (revision: Int, text: String)>(capacity: 10)
        _ = cache.value(for: 1) { (1, "старое") }
        #expect(cache.value(for: 1, isCurrent: { $0.revision == 2 }) { (2, "новое") }.text == "новое")
        #expect(cache.cached(1)?.text == "новое")
    }
}
