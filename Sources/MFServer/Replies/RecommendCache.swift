import MFProtocol
import Synchronization

/// The encoded results of plain `recommend` requests (no `exclude`, `include`
/// or `explain`). A repeated request then costs a lookup and a copy instead of
/// a top-N scan and its encoding, about half of a recommend's CPU when
/// requests arrive spread out and caches are cold (docs/benchmarks.md,
/// "Recommend cache on and off": 60–78 µs per computed request, 32–35 cached).
///
/// Exact: an entry serves only snapshots that would compute the same bytes.
/// A model answer (`model`, `folded_in`) depends on the snapshot's `base`, its
/// `catalogueVersion` and the user's entry, so it stays valid while those
/// are unchanged, through writes of other users (the entry's map shard
/// generation must match). A `popular` answer depends on every item's ratings,
/// so it serves only its own snapshot. A new base or catalogue empties the
/// cache. The cache only moves forward (`EngineSnapshot.publishOrder`): a
/// reader holding an older snapshot computes its answer without it.
/// Bounded by `capacityBytes` (answers plus a per-entry overhead): a store
/// that would pass it empties the cache first.
final class RecommendCache: Sendable {
    struct Key: Hashable {
        var user: Int64
        var n: Int
        var excludeSeen: Bool
    }

    /// Bytes of cached results at most; 0 turns the cache off.
    let capacityBytes: Int
    /// Counted per entry besides its answer: the key, the generation and the
    /// dictionary slot, rounded up.
    static let entryOverhead = 64

    /// What one kept answer counts against the capacity: its bytes rounded up to
    /// malloc's 16-byte granularity, plus `entryOverhead`. (Not `capacity`, which
    /// reports whatever chunk malloc happened to reuse, so the bound stays deterministic.)
    static func cost(of answer: [UInt8]) -> Int { ((answer.count + 15) & ~15) + entryOverhead }
    private let state = Mutex(State())

    private struct State {
        /// What every entry was computed against (held strongly, so identities cannot be reused).
        var base: ModelBase?
        var catalogueVersion = 0
        /// The newest snapshot seen; `popular` holds answers of it.
        var snapshot: EngineSnapshot?
        /// Model answers with the generation of the user's map shard they were computed from.
        var model: [Key: (tail: [UInt8], userGeneration: UInt64)] = [:]
        var popular: [Key: [UInt8]] = [:]
        var bytes = 0
        var popularBytes = 0

        /// Moves to `s` unless it is older than the current one; returns false
        /// for an older snapshot. What `s` would compute differently goes to `dropped`.
        mutating func use(_ s: EngineSnapshot, dropped: inout [Any]) -> Bool {
            if let current = snapshot {
                if current === s { return true }
                if current.publishOrder > s.publishOrder { return false }
            }
            if base !== s.base || catalogueVersion != s.catalogueVersion {
                base = s.base
                catalogueVersion = s.catalogueVersion
                empty(into: &dropped)
            } else if !popular.isEmpty {
                dropped.append(popular)
                popular = [:]
                bytes -= popularBytes
                popularBytes = 0
            }
            snapshot = s
            return true
        }

        mutating func empty(into dropped: inout [Any]) {
            dropped.append(model)
            dropped.append(popular)
            model = [:]
            popular = [:]
            bytes = 0
            popularBytes = 0
        }
    }

    init(capacityBytes: Int) {
        precondition(capacityBytes >= 0, "capacityBytes must not be negative")
        self.capacityBytes = capacityBytes
    }

    /// The key of a cacheable request; nil when the cache is off or the
    /// request's answer depends on more than user, n and exclude_seen.
    func key(for r: RecommendRequest) -> Key? {
        guard capacityBytes > 0, r.exclude.isEmpty, r.include == nil, !r.explain else { return nil }
        return Key(user: r.user, n: r.n, excludeSeen: r.excludeSeen)
    }

    /// Moves to a newly published snapshot, letting go of what it would compute differently.
    func follow(_ snapshot: EngineSnapshot) {
        var dropped: [Any] = []
        state.withLock { _ = $0.use(snapshot, dropped: &dropped) }
        // `dropped` (up to capacityBytes of answers) is freed here, outside the lock.
    }

    /// The cached line tail (see `RecommendReply.lineTail()`) that `snapshot` would compute for `key`.
    func tail(for key: Key, in snapshot: EngineSnapshot) -> [UInt8]? {
        let generation = snapshot.users.generation(of: key.user)
        var dropped: [Any] = []
        return state.withLock { st in
            guard st.use(snapshot, dropped: &dropped) else { return nil }
            if let m = st.model[key], m.userGeneration == generation { return m.tail }
            return st.popular[key]
        }
    }

    /// Keeps `tail`, computed on `snapshot` (`popular`: a popularity answer),
    /// unless the cache has meanwhile moved to a snapshot it would not serve.
    func store(_ tail: [UInt8], for key: Key, in snapshot: EngineSnapshot, popular: Bool) {
        // An exact-size copy: the encoder's array has spare capacity.
        let kept = [UInt8](unsafeUninitializedCapacity: tail.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: tail)
        }
        let cost = Self.cost(of: kept)
        guard cost <= capacityBytes else { return }
        let generation = snapshot.users.generation(of: key.user)
        var dropped: [Any] = []
        state.withLock { st in
            // A model answer stays valid on newer snapshots with the same base and
            // catalogue (its user generation decides); a popular one only on its own.
            guard popular ? st.snapshot === snapshot
                : st.base === snapshot.base && st.catalogueVersion == snapshot.catalogueVersion else { return }
            if let old = (popular ? st.popular[key] : st.model[key]?.tail).map(Self.cost) {
                st.bytes -= old
                if popular { st.popularBytes -= old }
            }
            if st.bytes + cost > capacityBytes { st.empty(into: &dropped) }
            if popular {
                st.popular[key] = kept
                st.popularBytes += cost
            } else {
                st.model[key] = (kept, generation)
            }
            st.bytes += cost
        }
    }

    /// Entries and bytes (answers plus per-entry overhead) held now.
    var usage: (entries: Int, bytes: Int) { state.withLock { ($0.model.count + $0.popular.count, $0.bytes) } }
}
