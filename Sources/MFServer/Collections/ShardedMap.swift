import Synchronization

/// An immutable-by-value map from Int64 keys, split into shards so that
/// setting one key copies one small shard instead of the whole map.
///
/// Snapshots share shards; a writer's `set` copies the 256-pointer shard
/// table plus one shard (≈ count/256 entries), so a new snapshot per write
/// costs O(count/256), not O(count).
struct ShardedMap<Value: Sendable>: Sendable {
    fileprivate final class Shard: Sendable {
        let entries: [Int64: Value]
        /// Unique per shard ever made (any map), so equal generations mean the same entries.
        let generation: UInt64
        init(_ entries: [Int64: Value]) {
            self.entries = entries
            generation = shardGenerations.add(1, ordering: .relaxed).newValue
        }
    }

    fileprivate static var shardCount: Int { 256 }
    fileprivate var shards: [Shard]
    fileprivate(set) var count = 0

    init() { shards = (0..<Self.shardCount).map { _ in Shard([:]) } }

    @inline(__always) fileprivate static func shard(_ key: Int64) -> Int {
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

    /// Builds a map in place, shard by shard, without a second copy of its entries
    /// (the engine's load: one dictionary of every user and then the shards made
    /// from it held each entry twice).
    struct Builder {
        private var shards = [[Int64: Value]](repeating: [:], count: ShardedMap.shardCount)

        init() {}

        subscript(key: Int64) -> Value? {
            get { shards[ShardedMap.shard(key)][key] }
            set { shards[ShardedMap.shard(key)][key] = newValue }
        }

        subscript(key: Int64, default value: @autoclosure () -> Value) -> Value {
            get { shards[ShardedMap.shard(key)][key, default: value()] }
            _modify { yield &shards[ShardedMap.shard(key)][key, default: value()] }
        }

        /// The finished map; the builder is left empty.
        mutating func build() -> ShardedMap {
            var map = ShardedMap()
            map.shards = shards.map { Shard($0) }
            map.count = shards.reduce(0) { $0 + $1.count }
            shards = []
            return map
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
