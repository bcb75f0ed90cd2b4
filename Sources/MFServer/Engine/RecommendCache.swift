import MFProtocol
import Synchronization

/// The encoded results of plain `recommend` requests (no `exclude`, `include`
/// or `explain`) answered against one snapshot. A repeated request then costs
/// a lookup and a copy instead of a top-N scan and its encoding, which are
/// most of a recommend's CPU when requests arrive spread out and caches are
/// cold (docs/benchmarks.md, session 7).
///
/// Exact by construction: snapshots are immutable and every write publishes
/// a new one, and an entry is used only against the snapshot it was computed
/// from. The first lookup against another snapshot empties the cache, so a
/// rating changes the next answer at once, as without the cache. Bounded by
/// `capacityBytes`: a store that would pass it empties the cache first.
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
        /// Held strongly so its identity cannot be reused while entries refer to it.
        var snapshot: EngineSnapshot?
        var tails: [Key: [UInt8]] = [:]
        var bytes = 0

        mutating func use(_ s: EngineSnapshot) {
            guard snapshot !== s else { return }
            snapshot = s
            tails = [:]
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

    /// The cached line tail (see `RecommendReply.lineTail()`) for `key` in `snapshot`.
    func tail(for key: Key, in snapshot: EngineSnapshot) -> [UInt8]? {
        state.withLock { st in
            st.use(snapshot)
            return st.tails[key]
        }
    }

    /// Keeps `tail` for `key`, unless the cache has meanwhile moved to another snapshot.
    func store(_ tail: [UInt8], for key: Key, in snapshot: EngineSnapshot) {
        guard tail.count <= capacityBytes else { return }
        state.withLock { st in
            guard st.snapshot === snapshot, st.tails[key] == nil else { return }
            if st.bytes + tail.count > capacityBytes {
                st.tails = [:]
                st.bytes = 0
            }
            st.tails[key] = tail
            st.bytes += tail.count
        }
    }

    /// Entries and bytes held now.
    var usage: (entries: Int, bytes: Int) { state.withLock { ($0.tails.count, $0.bytes) } }
}
