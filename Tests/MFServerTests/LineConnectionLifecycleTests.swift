import NIOCore
import NIOEmbedded
import NIOExtras
import Testing
@testable import MFServer

/// The connection handler's life on `EmbeddedChannel`, on the loop's virtual
/// clock: held reads under backpressure, the partial-line timeout, quiescing
/// and half-close. No threads, no sleeps, no polling.
@Suite struct LineConnectionLifecycleTests {
    typealias Stub = LineConnectionBackpressureTests.StubHandler

    /// Counts the reads the handler lets through toward the socket.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = ByteBuffer
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    static func connection(_ stub: Stub, configure: (inout SocketServerConfiguration) -> Void = { _ in })
        throws -> (EmbeddedChannel, ReadCounter) {
        var config = SocketServerConfiguration()
        configure(&config)
        let counter = ReadCounter()
        let channel = try LineConnectionBackpressureTests.connection(stub, config: config)
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/peer")).wait()  // active, as an accepted socket is
        try channel.pipeline.syncOperations.addHandler(counter, position: .first)
        return (channel, counter)
    }

    /// Every line written so far, newline stripped.
    static func written(_ channel: EmbeddedChannel) throws -> [String] {
        var lines: [String] = []
        while let b = try channel.readOutbound(as: ByteBuffer.self) {
            if b.readableBytes > 0 { lines.append(String(buffer: b).trimmingCharacters(in: .newlines)) }
        }
        return lines
    }

    static func isClosed(_ channel: EmbeddedChannel) -> Bool { !channel.isActive }

    @Test func aReadIsHeldAtTheInFlightCapAndIssuedWhenAReplyFrees() throws {
        let stub = Stub(replyBytes: 10, hold: [1, 2])
        let (channel, counter) = try Self.connection(stub) { $0.maxInFlightPerConnection = 2 }
        try channel.writeInbound(ByteBuffer(string: "a\nb\n"))
        channel.read()
        #expect(counter.reads == 0, "two requests in flight: the read waits")
        stub.held.withLock { $0[0].succeed(ByteBuffer(string: "{\"id\":1}")) }
        channel.embeddedEventLoop.run()
        #expect(counter.reads == 1, "a reply went out: the held read is issued")
        #expect(try Self.written(channel) == ["{\"id\":1}"])
        stub.held.withLock { $0[1].succeed(ByteBuffer(string: "{\"id\":2}")) }
        channel.embeddedEventLoop.run()
        #expect(try Self.written(channel) == ["{\"id\":2}"])
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    @Test func aPartialLineTimesOutOnTheLoopsClock() throws {
        let stub = Stub(replyBytes: 4)
        let (channel, _) = try Self.connection(stub) { $0.partialLineTimeout = .seconds(30) }
        try channel.writeInbound(ByteBuffer(string: "{\"op\":\"pi"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        #expect(try Self.written(channel).isEmpty)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(try Self.written(channel) == ["{\"ok\":false,\"error\":\"timeout(seconds: 30.0)\"}"])
        #expect(Self.isClosed(channel))
    }

    @Test func aLineCompletedInTimeRestartsTheClockForTheNextOne() throws {
        let stub = Stub(replyBytes: 4)
        let (channel, _) = try Self.connection(stub) { $0.partialLineTimeout = .seconds(30) }
        try channel.writeInbound(ByteBuffer(string: "a"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(20))
        try channel.writeInbound(ByteBuffer(string: "\nb"))  // completes "a", starts "b" at t=20
        channel.embeddedEventLoop.advanceTime(by: .seconds(20))  // t=40: "b" is 20 s old
        #expect(channel.isActive && stub.count == 1)
        channel.embeddedEventLoop.advanceTime(by: .seconds(11))  // t=51: 31 s
        #expect(Self.isClosed(channel))
    }

    @Test func backpressurePostponesThePartialLineTimeout() throws {
        // The handler is the one not reading, so the peer cannot finish its line.
        let stub = Stub(replyBytes: 4, hold: [1])
        let (channel, _) = try Self.connection(stub) { $0.maxInFlightPerConnection = 1; $0.partialLineTimeout = .seconds(30) }
        try channel.writeInbound(ByteBuffer(string: "a\nb\npartial"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(100))
        #expect(channel.isActive && stub.count == 1)
        stub.held.withLock { $0[0].succeed(ByteBuffer(string: "A")) }
        channel.embeddedEventLoop.run()
        #expect(stub.count == 2)
        #expect(try Self.written(channel) == ["A", "xxxx"])
        channel.embeddedEventLoop.advanceTime(by: .seconds(31))  // reading again: the clock runs
        #expect(Self.isClosed(channel))
    }

    @Test func quiescingAnswersWhatIsInFlightAndBufferedThenCloses() throws {
        let stub = Stub(replyBytes: 4, hold: [1])
        let (channel, counter) = try Self.connection(stub) { $0.maxInFlightPerConnection = 1 }
        try channel.writeInbound(ByteBuffer(string: "a\nb\n"))
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.read()
        #expect(counter.reads == 0, "no new requests once quiescing")
        #expect(channel.isActive, "a request is still in flight")
        stub.held.withLock { $0[0].succeed(ByteBuffer(string: "A")) }
        channel.embeddedEventLoop.run()
        #expect(stub.count == 2, "the buffered line is still answered")
        #expect(try Self.written(channel) == ["A", "xxxx"])
        #expect(Self.isClosed(channel))
    }

    @Test func anIdleConnectionClosesAtOnceWhenQuiesced() throws {
        let (channel, _) = try Self.connection(Stub(replyBytes: 4))
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.embeddedEventLoop.run()
        #expect(Self.isClosed(channel))
    }

    @Test func aHalfClosedPeerGetsEveryAnswerIncludingItsUnterminatedLastLine() throws {
        let stub = Stub(replyBytes: 4)
        let (channel, _) = try Self.connection(stub)
        try channel.writeInbound(ByteBuffer(string: "a\nb"))
        #expect(stub.count == 1)
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        channel.embeddedEventLoop.run()
        #expect(stub.count == 2)
        #expect(try Self.written(channel) == ["xxxx", "xxxx"])
        #expect(Self.isClosed(channel))
    }

    @Test func theIdleTimeoutSparesAConnectionWithARequestInFlight() throws {
        let stub = Stub(replyBytes: 4, hold: [1])
        let (channel, _) = try Self.connection(stub)
        try channel.writeInbound(ByteBuffer(string: "a\n"))
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)
        #expect(channel.isActive)
        stub.held.withLock { $0[0].succeed(ByteBuffer(string: "A")) }
        channel.embeddedEventLoop.run()
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)
        channel.embeddedEventLoop.run()
        #expect(try Self.written(channel).last?.contains("timeout") == true)
        #expect(Self.isClosed(channel))
    }
}

/// The state machine's moves, apart from any channel.
@Suite struct ConnectionLifecycleTests {
    @Test func drainsCloseAndRefuseSecondCloses() {
        var l = ConnectionLifecycle()
        #expect(l.reads && l.dispatches && !l.inputClosed)
        let (firstHold, secondHold) = (l.holdRead(), l.holdRead())
        #expect(firstHold && !secondHold, "only the first held read starts a pause")
        let (firstRelease, secondRelease) = (l.releaseHeldRead(), l.releaseHeldRead())
        #expect(firstRelease && !secondRelease)
        let (inputClosed, quiescing) = (l.drain(.inputClosed), l.drain(.quiescing))
        #expect(inputClosed && quiescing)
        #expect(l.state == .draining([.inputClosed, .quiescing]) && l.inputClosed && !l.reads && l.dispatches)
        let held = l.holdRead()
        #expect(!held, "a draining connection reads nothing, so holds nothing")
        l.drained()
        #expect(l.state == .closing && !l.dispatches)
        let (closeAgain, drainAgain) = (l.startClosing(), l.drain(.quiescing))
        #expect(!closeAgain && !drainAgain, "a close is already under way")
        l.closed()
        let closeClosed = l.startClosing()
        #expect(l.state == .closed && !closeClosed)
    }

    @Test func anErrorClosesFromOpenOrDraining() {
        var open = ConnectionLifecycle()
        let fromOpen = open.startClosing()
        #expect(fromOpen && open.state == .closing)
        var draining = ConnectionLifecycle()
        _ = draining.drain(.quiescing)
        let fromDraining = draining.startClosing()
        #expect(fromDraining && draining.state == .closing)
    }
}
