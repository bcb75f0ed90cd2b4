import MFProtocol
import NIOCore

/// Limits and timeouts of the socket server.
public struct SocketServerConfiguration: Sendable, Equatable {
    /// Longest accepted request line in bytes, newline excluded (default 1 MiB).
    public var maxLineBytes: Int = 1 << 20
    /// Most simultaneous connections; more get `too_many_connections` (default 256).
    public var maxConnections: Int = 256
    /// Of `maxConnections`, slots only privileged peers may take (root, the
    /// server's user, peers allowed writes; `LineRequestHandler.isPrivileged`).
    public var reservedConnections: Int = 8
    /// Most connections one uid may hold, privileged peers excepted (0 = no bound).
    public var maxConnectionsPerUID: Int = 64
    /// Most requests per connection awaiting their reply before the server stops reading.
    public var maxInFlightPerConnection: Int = 64
    /// Outbound bytes queued per connection above which the server stops reading.
    public var outboundHighWaterBytes: Int = 256 << 10
    /// Outbound bytes below which reading resumes.
    public var outboundLowWaterBytes: Int = 64 << 10
    /// A partial line older than this gets `timeout` and the connection closes.
    public var partialLineTimeout: TimeAmount = .seconds(30)
    /// A connection with no request for this long is closed (default 10 minutes); nil keeps idle connections open.
    public var idleConnectionTimeout: TimeAmount? = .minutes(10)
    /// How long shutdown waits for connections to finish their in-flight requests
    /// before closing them (default 2 s). A client that never reads its replies
    /// cannot drain; closing it loses no acknowledged write (acks come after commit).
    public var shutdownGracePeriod: TimeAmount = .seconds(2)
    /// Read `/proc/PID/status` for supplementary groups on each connection.
    public var readSupplementaryGroups: Bool = true
    /// How often a request that asked for progress gets a progress line while it
    /// runs (the protocol promises at least one a second).
    public var progressInterval: TimeAmount = .milliseconds(Int64(ProgressCadence.seconds * 1000))
    /// Mode of a socket file the server creates (default 0660).
    public var socketMode: UInt32 = 0o660

    public init() {}
}
