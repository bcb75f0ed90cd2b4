import Foundation
import MFProtocol
import NIOCore
import NIOExtras
import NIOPosix
import Synchronization

/// An async client for mfd over its Unix socket. One connection, reused; requests may be
/// issued concurrently and are pipelined, with responses matched in order.
public final class MFClient: Sendable {
    public let path: String
    public let timeout: Double
    private let channel: any Channel
    private let matcher: NIOLoopBound<ResponseMatcher>
    private let encoder = RequestEncoder()
    private let nextID = Mutex<Int64>(0)

    private init(path: String, timeout: Double, channel: any Channel, matcher: NIOLoopBound<ResponseMatcher>) {
        self.path = path; self.timeout = timeout; self.channel = channel; self.matcher = matcher
    }

    /// Connects to `path` if `trust` accepts its directory and the daemon
    /// listening on it. `timeout` (seconds) bounds the connect, and the silence
    /// while requests await their replies: the longest mfd may send nothing,
    /// neither a reply nor a progress line, before they fail with `timeout`.
    public static func connect(path: String, timeout: Double = 30, trust: ServerTrust = .standard,
                               group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws(MFClientError) -> MFClient {
        if let why = trust.refusal(socketPath: path) { throw .untrusted(path: path, reason: why) }
        let loop = group.next()
        let client: MFClient, peer: uid_t
        do {
            let (channel, matcher, uid) = try await ClientBootstrap(group: loop)
                .connectTimeout(.milliseconds(Int64(timeout * 1000)))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        // Responses have no length limit on the wire; cap at 256 MiB to stay bounded.
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder(),
                                                                                           maximumBufferSize: 256 << 20))
                        try channel.pipeline.syncOperations.addHandler(ResponseMatcher(silence: .nanoseconds(Int64(timeout * 1e9))))
                    }
                }
                .connect(unixDomainSocketPath: path)
                // The listener's credentials in the same event-loop turn as the connect, before
                // any read: a server that refuses the connection closes it right after its error line.
                .flatMap { channel in
                    channel.peerUID().flatMapThrowing { uid in
                        (channel, NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ResponseMatcher.self), eventLoop: loop), uid)
                    }.flatMapErrorThrowing { error in
                        channel.close(promise: nil)
                        throw error
                    }
                }.get()
            client = MFClient(path: path, timeout: timeout, channel: channel, matcher: matcher)
            peer = uid
        } catch {
            throw .unreachable(path: path, reason: Self.reason(error))
        }
        if let why = trust.refusal(peerUID: peer) {
            client.channel.close(promise: nil)
            throw .untrusted(path: path, reason: why)
        }
        return client
    }

    static func reason(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        if let c = error as? NIOConnectionError, let first = c.connectionErrors.first { return reason(first.error) }
        if error is ChannelError { return "\(error)" }
        return "\(error)"
    }

    /// Sends one operation and returns its typed result.
    public func send<O: WireOperation>(_ operation: O) async throws(MFClientError) -> O.Result {
        try await sendKeepingJSON(operation).value
    }

    /// Sends one operation and returns its typed result with the result's exact JSON bytes.
    /// With `progress`, the request asks for progress lines and each one is handed to it
    /// (on the connection's event loop) until the reply comes.
    public func sendKeepingJSON<O: WireOperation>(_ operation: O, progress: (@Sendable (ProgressReport) -> Void)? = nil)
        async throws(MFClientError) -> RawResult<O.Result> {
        let line = try await sendRaw(operation, progress: progress)
        switch line.outcome {
        case .failure(let e): throw .daemon(e)
        case .success(let bytes):
            do { return RawResult(value: try line.result(O.Result.self), json: bytes) } catch { throw .daemon(error) }
        }
    }

    /// Sends one operation and returns the parsed response line (the result's exact bytes for `--json`).
    public func sendRaw<O: WireOperation>(_ operation: O, progress: (@Sendable (ProgressReport) -> Void)? = nil)
        async throws(MFClientError) -> ResponseLine {
        try await submit(operation, progress: progress).line()
    }

    /// A request written to the wire whose reply is awaited later.
    struct Pending<O: WireOperation>: Sendable {
        let id: Int64
        let reply: EventLoopFuture<[UInt8]>

        func line() async throws(MFClientError) -> ResponseLine {
            let bytes: [UInt8]
            do { bytes = try await reply.get() } catch let e as MFClientError { throw e } catch { throw .badResponse("\(error)") }
            let line: ResponseLine
            do { line = try ResponseLine(bytes) } catch { throw .badResponse(error.message) }
            guard line.id == .int(id) else {
                // The connection's own errors (too_many_connections, timeout, line_too_long) carry id null.
                if line.id == .null, case .failure(let e) = line.outcome { throw .daemon(e) }
                throw .badResponse("response id \(line.id) does not match request id \(id)")
            }
            return line
        }

        func value() async throws(MFClientError) -> O.Result {
            let line = try await line()
            switch line.outcome {
            case .failure(let e): throw .daemon(e)
            case .success:
                do { return try line.result(O.Result.self) } catch { throw .daemon(error) }
            }
        }
    }

    /// Writes `operation` now; requests submitted one after another go out in
    /// that order, so a caller can keep several in flight and await them in order.
    func submit<O: WireOperation>(_ operation: O, progress: (@Sendable (ProgressReport) -> Void)? = nil) throws(MFClientError) -> Pending<O> {
        let id = nextID.withLock { $0 += 1; return $0 }
        let bytes: [UInt8]
        do { bytes = try encoder.encode(operation, id: .int(id), progress: progress != nil) } catch {
            throw .badResponse("cannot encode request: \(error)")
        }
        return Pending(id: id, reply: enqueue(bytes, id: .int(id), progress: progress))
    }

    /// Writes a request line; its response line, or the error that ends the
    /// connection (silence longer than `timeout`, a close), completes the future.
    private func enqueue(_ bytes: [UInt8], id: RequestID, progress: (@Sendable (ProgressReport) -> Void)?) -> EventLoopFuture<[UInt8]> {
        let loop = channel.eventLoop
        let promise = loop.makePromise(of: [UInt8].self)
        let matcher = self.matcher
        let channel = self.channel
        loop.execute {
            // Enqueue and write in one event-loop turn, so the queue order is the wire order.
            matcher.value.enqueue(ResponseMatcher.Waiter(id: id, promise: promise, progress: progress))
            channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil)
        }
        return promise.futureResult
    }

    /// Closes the connection; pending requests fail with `connectionClosed`.
    public func close() async {
        try? await channel.close()
    }
}
