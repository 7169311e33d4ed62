import Synchronization

/// A thread-safe cache that never holds more than `capacity` entries: the server's one cache
/// (verified badge codes, encoded documents). It keeps two generations: entries go into the
/// young one, and when that fills up the old one is dropped and the young one becomes old —
/// what was used lately survives, what was not is forgotten, each in constant time.
final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Generations {
        var young: [Key: Value] = [:]
        var old: [Key: Value] = [:]
    }

    private let generations = Mutex(Generations())
    /// Entries per generation: the cache holds at most twice this many.
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// The cached value for `key` if `isCurrent` accepts it, else `make()`'s, which is kept.
    func value(for key: Key, isCurrent: (Value) -> Bool = { _ in true }, make: () throws -> Value) rethrows -> Value {
        if let cached = cached(key), isCurrent(cached) { return cached }
        let value = try make()
        store(value, for: key)
        return value
    }

    /// The cached value for `key`, if any.
    func cached(_ key: Key) -> Value? {
        generations.withLock { generations in
            if let young = generations.young[key] { return young }
            guard let old = generations.old[key] else { return nil }
            Self.insert(old, for: key, into: &generations, capacity: capacity)  // used again: kept another generation
            return old
        }
    }

    func store(_ value: Value, for key: Key) {
        generations.withLock { Self.insert(value, for: key, into: &$0, capacity: capacity) }
    }

    private static func insert(_ value: Value, for key: Key, into generations: inout Generations, capacity: Int) {
        if generations.young.count >= capacity && generations.young[key] == nil {
            generations.old = generations.young
            generations.young = [:]
            generations.young.reserveCapacity(capacity)
        }
        generations.young[key] = value
    }

    /// How many entries are held (tests).
    var count: Int { generations.withLock { $0.young.count + $0.old.count } }
}
