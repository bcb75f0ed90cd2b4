import MFProtocol
import Synchronization

/// The encoded results of plain `recommend` requests (no `exclude`, `include`
/// or `explain`). A repeated request then costs a lookup and a copy instead of
/// a top-N scan and its encoding, which are most of a recommend's CPU when
/// requests arrive spread out and caches are cold (docs/benchmarks.md, session 7).
///
/// Exact: an entry serves only snapshots that would compute the same bytes.
/// A model answer (`model`, `folded_in`) depends on the snapshot's `base`, its
/// `catalogueVersion` and the user's entry, so it stays valid while those
/// are unchanged, through writes of other users (the entry's map shard
/// generation must match). A `popular` answer depends on every item's ratings,
/// so it serves only its own snapshot. A new base or catalogue empties the
/// cache. Bounded by `capacityBytes`: a store that would pass it empties the cache first.
final class RecommendCache: Sendable {
    struct Key: Hashable {
        var user: Int64
        var n: Int
        var excludeSeen: Bool
    }

    /// Bytes of cached results at most; 0 turns the cache off.
    let capacityBytes: Int
    private let state = Mutex(State())

    private struct State {
        /// What every entry was computed against (held strongly, so identities cannot be reused).
        var base: ModelBase?
        var catalogueVersion = 0
        /// The snapshot `popular` holds answers of.
        var snapshot: EngineSnapshot?
        /// Model answers with the generation of the user's map shard they were computed from.
        var model: [Key: (tail: [UInt8], userGeneration: UInt64)] = [:]
        var popular: [Key: [UInt8]] = [:]
        var bytes = 0

        /// Moves to `s`, dropping what `s` would compute differently.
        mutating func use(_ s: EngineSnapshot) {
            guard snapshot !== s else { return }
            if base !== s.base || catalogueVersion != s.catalogueVersion {
                base = s.base
                catalogueVersion = s.catalogueVersion
                empty()
            } else {
                bytes -= popular.values.reduce(0) { $0 + $1.count }
                popular = [:]
            }
            snapshot = s
        }

        mutating func empty() {
            model = [:]
            popular = [:]
            bytes = 0
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

    /// Moves to a newly published snapshot, dropping what it would compute differently.
    func follow(_ snapshot: EngineSnapshot) {
        state.withLock { $0.use(snapshot) }
    }

    /// The cached line tail (see `RecommendReply.lineTail()`) that `snapshot` would compute for `key`.
    func tail(for key: Key, in snapshot: EngineSnapshot) -> [UInt8]? {
        let generation = snapshot.users.generation(of: key.user)
        return state.withLock { st in
            st.use(snapshot)
            if let m = st.model[key], m.userGeneration == generation { return m.tail }
            return st.popular[key]
        }
    }

    /// Keeps `tail`, computed on `snapshot` (`popular`: a popularity answer),
    /// unless the cache has meanwhile moved to a snapshot it would not serve.
    func store(_ tail: [UInt8], for key: Key, in snapshot: EngineSnapshot, popular: Bool) {
        guard tail.count <= capacityBytes else { return }
        let generation = snapshot.users.generation(of: key.user)
        state.withLock { st in
            // A model answer stays valid on newer snapshots with the same base and
            // catalogue (its user generation decides); a popular one only on its own.
            guard popular ? st.snapshot === snapshot
                : st.base === snapshot.base && st.catalogueVersion == snapshot.catalogueVersion else { return }
            let replaced = popular ? st.popular[key]?.count : st.model[key]?.tail.count
            st.bytes -= replaced ?? 0
            if st.bytes + tail.count > capacityBytes { st.empty() }
            if popular { st.popular[key] = tail } else { st.model[key] = (tail, generation) }
            st.bytes += tail.count
        }
    }

    /// Entries and bytes held now.
    var usage: (entries: Int, bytes: Int) { state.withLock { ($0.model.count + $0.popular.count, $0.bytes) } }
}
