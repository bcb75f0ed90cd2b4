import Synchronization

/// An immutable-by-value map from Int64 keys, split into shards so that
/// setting one key copies one small shard instead of the whole map.
///
/// Snapshots share shards; a writer's `set` copies the 256-pointer shard
/// table plus one shard (≈ count/256 entries), so a new snapshot per write
/// costs O(count/256), not O(count).
struct ShardedMap<Value: Sendable>: Sendable {
    private final class Shard: Sendable {
        let entries: [Int64: Value]
        /// Unique per shard ever made (any map), so equal generations mean the same entries.
        let generation: UInt64
        init(_ entries: [Int64: Value]) {
            self.entries = entries
            generation = shardGenerations.add(1, ordering: .relaxed).newValue
        }
    }

    private static var shardCount: Int { 256 }
    private var shards: [Shard]
    private(set) var count = 0

    init() { shards = (0..<Self.shardCount).map { _ in Shard([:]) } }

    @inline(__always) private static func shard(_ key: Int64) -> Int {
        // Fibonacci hashing spreads consecutive IDs over all shards.
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 56)
    }

    /// Changes whenever the entry of `key` (or another in its shard) may have changed:
    /// what `RecommendCache` checks a user's cached answers against.
    func generation(of key: Int64) -> UInt64 { shards[Self.shard(key)].generation }

    subscript(key: Int64) -> Value? {
        get { shards[Self.shard(key)].entries[key] }
        set { update([key: newValue]) }
    }

    /// Replaces many keys with one copy per touched shard.
    mutating func update(_ changes: [Int64: Value?]) {
        var grouped: [Int: [(Int64, Value?)]] = [:]
        for (k, v) in changes { grouped[Self.shard(k), default: []].append((k, v)) }
        for (s, kvs) in grouped {
            var e = shards[s].entries
            for (k, v) in kvs {
                if let v {
                    if e.updateValue(v, forKey: k) == nil { count += 1 }
                } else if e.removeValue(forKey: k) != nil {
                    count -= 1
                }
            }
            shards[s] = Shard(e)
        }
    }

    /// Every entry, in no particular order.
    func forEach(_ body: (Int64, Value) throws -> Void) rethrows {
        for shard in shards { for (k, v) in shard.entries { try body(k, v) } }
    }

    var keys: [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(count)
        forEach { k, _ in out.append(k) }
        return out
    }
}

/// Source of `ShardedMap` shard generations.
private let shardGenerations = Atomic<UInt64>(0)
