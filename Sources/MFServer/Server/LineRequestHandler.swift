import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// What a request handler returns for one line.
///
/// `.now` is the fast path for reads: the reply is written on the event loop
/// with no future or hop. `.later` is for work that completes elsewhere
/// (writes through the engine's writer); the server still sends replies in
/// request order per connection.
public enum LineReply: Sendable {
    /// The response line, without the trailing newline.
    case now(ByteBuffer)
    /// A response line (without newline) that completes on any event loop or thread.
    case later(EventLoopFuture<ByteBuffer>)
    /// As `later`, for a request that asked for progress: while it is the
    /// oldest request on its connection still awaiting its reply, the server
    /// writes `progress()` (a line without newline) every
    /// `SocketServerConfiguration.progressInterval`.
    case progressing(EventLoopFuture<ByteBuffer>, progress: @Sendable () -> ByteBuffer)
    /// No response: the line held only whitespace (protocol: blank lines get no reply).
    case none
}

/// Per-connection facts handed to the request handler with every line.
public struct RequestContext: Sendable {
    /// Credentials of the connected process (`SO_PEERCRED` + `/proc` groups).
    public let peer: PeerCredentials
    /// Allocator of the connection's channel; use it for response buffers.
    public let allocator: ByteBufferAllocator
    /// The connection's event loop: `handle` is always called on it.
    public let eventLoop: any EventLoop
    /// Process-unique connection number (from 1): names the connection in
    /// logs and identifies it to the handler (import sessions belong to it).
    public let connectionID: UInt64

    public init(peer: PeerCredentials, allocator: ByteBufferAllocator, eventLoop: any EventLoop, connectionID: UInt64) {
        self.peer = peer
        self.allocator = allocator
        self.eventLoop = eventLoop
        self.connectionID = connectionID
    }
}

/// Turns one complete request line into one response line.
///
/// Called on the connection's event loop, one line at a time, in arrival
/// order. It must never throw or fail: malformed input gets an error reply.
/// A failed `.later` future is answered with an `internal_error` line.
public protocol LineRequestHandler: Sendable {
    /// Handle one request line (without its newline).
    func handle(line: ByteBuffer, context: RequestContext) -> LineReply
    /// Whether `peer` may use the connection slots kept in reserve and hold
    /// more than one user's share (`SocketServerConfiguration.reservedConnections`,
    /// `maxConnectionsPerUID`). Default: root and the server's own user.
    func isPrivileged(_ peer: PeerCredentials) -> Bool

    /// Called once when the connection has closed, on its event loop, with
    /// the context its lines came with; no `handle` for it follows. Replies
    /// still pending are discarded. The default does nothing.
    func connectionClosed(context: RequestContext)
}

extension LineRequestHandler {
    public func isPrivileged(_ peer: PeerCredentials) -> Bool { peer.uid == 0 || peer.uid == getuid() }
    public func connectionClosed(context: RequestContext) {}
}
