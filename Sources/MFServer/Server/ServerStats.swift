import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Live counters of the socket server (for `status`, tests and logs).
public final class ServerStats: Sendable {
    private let slots: Mutex<ConnectionSlots>
    private let _acceptedConnections = Atomic<Int>(0)
    private let _rejectedConnections = Atomic<Int>(0)
    private let _requests = Atomic<Int>(0)
    private let _linesTooLong = Atomic<Int>(0)
    private let _timeouts = Atomic<Int>(0)
    private let _readPauses = Atomic<Int>(0)
    private let _maxInFlightSeen = Atomic<Int>(0)
    private let nextConnectionID = Atomic<UInt64>(1)

    /// - Parameter slots: the admission rule (default: no bound, for tests of one connection).
    init(slots: ConnectionSlots = ConnectionSlots(limit: .max, reserved: 0, perUID: 0)) {
        self.slots = Mutex(slots)
    }

    public convenience init() { self.init(slots: ConnectionSlots(limit: .max, reserved: 0, perUID: 0)) }

    /// Connections currently open.
    public var openConnections: Int { slots.withLock { $0.open } }
    /// Connections accepted since start (rejected ones excluded).
    public var acceptedConnections: Int { _acceptedConnections.load(ordering: .relaxed) }
    /// Connections refused with `too_many_connections` (all slots, or a uid's share, taken).
    public var rejectedConnections: Int { _rejectedConnections.load(ordering: .relaxed) }
    /// Request lines handed to the handler.
    public var requests: Int { _requests.load(ordering: .relaxed) }
    /// Connections closed for an over-long line.
    public var linesTooLong: Int { _linesTooLong.load(ordering: .relaxed) }
    /// Connections closed by the partial-line or idle timeout.
    public var timeouts: Int { _timeouts.load(ordering: .relaxed) }
    /// Times a connection stopped reading because of backpressure.
    public var readPauses: Int { _readPauses.load(ordering: .relaxed) }
    /// Highest number of in-flight requests seen on one connection.
    public var maxInFlightSeen: Int { _maxInFlightSeen.load(ordering: .relaxed) }

    /// Takes a connection slot for `uid` (`ConnectionSlots.admit`), counting the outcome.
    func admit(uid: uid_t, privileged: Bool) -> ConnectionSlots.Refusal? {
        let refusal = slots.withLock { $0.admit(uid: uid, privileged: privileged) }
        if refusal == nil { _acceptedConnections.add(1, ordering: .relaxed) } else { _rejectedConnections.add(1, ordering: .relaxed) }
        return refusal
    }

    /// Frees the slot of an admitted connection.
    func release(uid: uid_t) { slots.withLock { $0.release(uid: uid) } }

    func makeConnectionID() -> UInt64 { nextConnectionID.add(1, ordering: .relaxed).oldValue }
    func countRequest() { _requests.add(1, ordering: .relaxed) }
    func countLineTooLong() { _linesTooLong.add(1, ordering: .relaxed) }
    func countTimeout() { _timeouts.add(1, ordering: .relaxed) }
    func countReadPause() { _readPauses.add(1, ordering: .relaxed) }
    func noteInFlight(_ n: Int) { _maxInFlightSeen.max(n, ordering: .relaxed) }
}
