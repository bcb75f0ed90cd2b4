import Synchronization

/// Live counters of the socket server (for `status`, tests and logs).
public final class ServerStats: Sendable {
    private let _openConnections = Atomic<Int>(0)
    private let _acceptedConnections = Atomic<Int>(0)
    private let _rejectedConnections = Atomic<Int>(0)
    private let _requests = Atomic<Int>(0)
    private let _linesTooLong = Atomic<Int>(0)
    private let _timeouts = Atomic<Int>(0)
    private let _readPauses = Atomic<Int>(0)
    private let _maxInFlightSeen = Atomic<Int>(0)
    private let nextConnectionID = Atomic<UInt64>(1)

    public init() {}

    /// Connections currently open.
    public var openConnections: Int { _openConnections.load(ordering: .relaxed) }
    /// Connections accepted since start (rejected ones excluded).
    public var acceptedConnections: Int { _acceptedConnections.load(ordering: .relaxed) }
    /// Connections refused with `too_many_connections`.
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

    /// Reserves a connection slot; false when `limit` is reached.
    func tryOpenConnection(limit: Int) -> Bool {
        var current = _openConnections.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = _openConnections.compareExchange(
                expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged {
                _acceptedConnections.add(1, ordering: .relaxed)
                return true
            }
            current = original
        }
        _rejectedConnections.add(1, ordering: .relaxed)
        return false
    }

    func closeConnection() { _openConnections.subtract(1, ordering: .relaxed) }
    func makeConnectionID() -> UInt64 { nextConnectionID.add(1, ordering: .relaxed).oldValue }
    func countRequest() { _requests.add(1, ordering: .relaxed) }
    func countLineTooLong() { _linesTooLong.add(1, ordering: .relaxed) }
    func countTimeout() { _timeouts.add(1, ordering: .relaxed) }
    func countReadPause() { _readPauses.add(1, ordering: .relaxed) }
    func noteInFlight(_ n: Int) { _maxInFlightSeen.max(n, ordering: .relaxed) }
}
