import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing
@testable import MFServer

/// The connection handler stops taking lines out of its buffer as soon as it
/// holds a socket's worth of replies, not only between reads: on
/// `EmbeddedChannel`, without threads.
@Suite struct LineConnectionBackpressureTests {
    /// Answers every line with `replyBytes` bytes (`.later` for the lines it is told to hold),
    /// and turns the channel unwritable after every `unwritableEvery` lines.
    final class StubHandler: LineRequestHandler {
        let replyBytes: Int, unwritableEvery: Int
        let hold: Set<Int>
        let handled = Mutex(0)
        let channel = Mutex<EmbeddedChannel?>(nil)
        let held = Mutex<[EventLoopPromise<ByteBuffer>]>([])

        init(replyBytes: Int, unwritableEvery: Int = .max, hold: Set<Int> = []) {
            self.replyBytes = replyBytes; self.unwritableEvery = unwritableEvery; self.hold = hold
        }

        func handle(line: ByteBuffer, context: RequestContext) -> LineReply {
            let n = handled.withLock { $0 += 1; return $0 }
            if n % unwritableEvery == 0 { channel.withLock { $0?.isWritable = false } }
            if hold.contains(n) {
                let p = context.eventLoop.makePromise(of: ByteBuffer.self)
                held.withLock { $0.append(p) }
                return .later(p.futureResult)
            }
            return .now(context.allocator.buffer(repeating: UInt8(ascii: "x"), count: replyBytes))
        }
        var count: Int { handled.withLock { $0 } }
    }

    static func connection(_ stub: StubHandler, config: SocketServerConfiguration = SocketServerConfiguration()) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        stub.channel.withLock { $0 = channel }
        let errors = ErrorLineEncoder { kind, _, alloc in alloc.buffer(string: "{\"ok\":false,\"error\":\"\(kind)\"}") }
        let ctx = RequestContext(peer: PeerCredentials(pid: 1, uid: 1000, gid: 1000), allocator: channel.allocator,
                                 eventLoop: channel.eventLoop, connectionID: 1)
        try channel.pipeline.syncOperations.addHandler(LineConnectionHandler(
            handler: stub, configuration: config, errors: errors, stats: ServerStats(), logger: Logger(label: "test"), requestContext: ctx))
        return channel
    }

    static func lines(_ n: Int) -> ByteBuffer {
        ByteBuffer(string: String(repeating: "{\"op\":\"recommend\",\"user\":1,\"n\":1000}\n", count: n))
    }

    @Test func stopsAtAnUnwritableSocketWithinOneRead() throws {
        let stub = StubHandler(replyBytes: 30_000, unwritableEvery: 5)
        let channel = try Self.connection(stub)
        try channel.writeInbound(Self.lines(1000))
        #expect(stub.count == 5)
        // The socket drains: the next lines are answered from the buffer, again up to the mark.
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(stub.count == 10)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    @Test func repliesWaitingForAnEarlierOneCountAgainstTheMark() throws {
        // Line 1 is slow; the replies behind it wait in order. 64 KiB each: four reach 256 KiB.
        let stub = StubHandler(replyBytes: 64 << 10, hold: [1])
        let channel = try Self.connection(stub)
        try channel.writeInbound(Self.lines(100))
        #expect(stub.count == 5)
        stub.held.withLock { $0[0].succeed(ByteBuffer(string: "{}")) }
        channel.embeddedEventLoop.run()
        #expect(stub.count > 5)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    @Test func aClosedConnectionDropsItsBufferedLines() throws {
        let stub = StubHandler(replyBytes: 30_000, unwritableEvery: 3)
        let channel = try Self.connection(stub)
        try channel.writeInbound(Self.lines(50))
        #expect(stub.count == 3)
        channel.pipeline.fireChannelInactive()
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(stub.count == 3)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }
}
