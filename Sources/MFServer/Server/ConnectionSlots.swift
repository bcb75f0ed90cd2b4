#if canImport(Glibc)
import Glibc
#endif

/// Admission of connections once the peer is known: a pure state machine
/// (the socket server keeps one behind a lock).
///
/// One local user could otherwise hold every slot with idle connections and
/// lock out root's `mfctl status`. An unprivileged peer is refused when its
/// uid already holds `perUID` connections, or when only `reserved` slots are
/// left; those are kept for privileged peers (root, the daemon's own user,
/// and peers allowed writes), who are bounded by `limit` alone.
struct ConnectionSlots {
    /// Why a connection was refused.
    enum Refusal: Equatable {
        /// All `limit` slots, or all but the reserved ones, are taken.
        case full(limit: Int)
        /// The peer's uid holds `perUID` connections already.
        case perUID(uid: uid_t, limit: Int)
    }

    let limit: Int, reserved: Int, perUID: Int
    private(set) var open = 0
    private var byUID: [uid_t: Int] = [:]

    /// - Parameters: `perUID` 0 = no per-uid bound; `reserved` is at most a quarter of `limit`.
    init(limit: Int, reserved: Int, perUID: Int) {
        self.limit = limit; self.reserved = min(max(reserved, 0), limit / 4); self.perUID = perUID
    }

    /// Takes a slot for a peer, or says why not. Every admitted peer must be `release`d once.
    mutating func admit(uid: uid_t, privileged: Bool) -> Refusal? {
        guard open < limit else { return .full(limit: limit) }
        if !privileged {
            guard open < limit - reserved else { return .full(limit: limit - reserved) }
            if perUID > 0, byUID[uid, default: 0] >= perUID { return .perUID(uid: uid, limit: perUID) }
        }
        open += 1
        byUID[uid, default: 0] += 1
        return nil
    }

    /// Frees the slot of an admitted peer.
    mutating func release(uid: uid_t) {
        guard let n = byUID[uid] else { return }
        open -= 1
        byUID[uid] = n > 1 ? n - 1 : nil
    }

    /// Connections `uid` holds now.
    func count(uid: uid_t) -> Int { byUID[uid, default: 0] }
}
