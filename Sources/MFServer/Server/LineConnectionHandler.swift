import Logging
import NIOCore
import NIOExtras

/// One connection: framing, dispatch, in-order replies, backpressure,
/// partial-line timeout and graceful quiescing. Runs entirely on the
/// channel's event loop; its life is `ConnectionLifecycle`. It keeps no
/// context: NIO passes one to every callback, and the completions and the
/// timer it schedules capture theirs, doing nothing once the connection closed.
final class LineConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let handler: any LineRequestHandler
    private let configuration: SocketServerConfiguration
    private let errors: ErrorLineEncoder
    private let stats: ServerStats
    private let logger: Logger
    private let requestContext: RequestContext

    private var lifecycle = ConnectionLifecycle()
    private var framer: ByteBufferLineFramer
    private var sequencer = ResponseSequencer()
    /// Dispatch stopped at the in-flight or outbound cap with bytes still in the
    /// framer: complete lines may wait there, and nothing more is read until they went.
    private var backlog = false
    /// Replies written since the last flush.
    private var needsFlush = false
    /// When the current partial line started, and the one timer that checks it (re-armed lazily).
    private var partialSince: NIODeadline?
    private var partialTimer: Scheduled<Void>?
    /// Progress lines of the unanswered requests that asked for them, by sequence number.
    private var progressLines: [UInt64: @Sendable () -> ByteBuffer] = [:]
    private var progressTimer: Scheduled<Void>?

    init(handler: any LineRequestHandler, configuration: SocketServerConfiguration, errors: ErrorLineEncoder,
         stats: ServerStats, logger: Logger, requestContext: RequestContext) {
        self.handler = handler
        self.configuration = configuration
        self.errors = errors
        self.stats = stats
        self.logger = logger
        self.requestContext = requestContext
        self.framer = ByteBufferLineFramer(maxLineBytes: configuration.maxLineBytes)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        lifecycle.closed()
        cancelPartialTimer()
        stopProgress()
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard lifecycle.dispatches else { return }
        framer.append(unwrapInboundIn(data))
        processLines(context)
    }

    /// The peer is gone: buffered lines are dropped and replies still to come are discarded.
    func channelInactive(context: ChannelHandlerContext) {
        lifecycle.closed()
        cancelPartialTimer()
        stopProgress()
        context.fireChannelInactive()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { resume(context) }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            if lifecycle.drain(.quiescing) { finishDrainIfDone(context) }
        } else if case .some(.inputClosed) = event as? ChannelEvent {
            // The client half-closed (e.g. `socat` after stdin EOF): answer what it sent, then close.
            if lifecycle.drain(.inputClosed) {
                processLines(context)
                flushIfNeeded(context)
            }
        } else if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            // Only a connection with nothing in flight is idle.
            if sequencer.isEmpty {
                failAndClose(.timeout(seconds: configuration.idleConnectionTimeout.map(seconds) ?? 0), context)
            }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["conn": "\(requestContext.connectionID)", "error": "\(error)"])
        _ = lifecycle.startClosing()
        context.close(promise: nil)
    }

    // MARK: Outbound

    func read(context: ChannelHandlerContext) {
        if canRead(context) {
            context.read()
        } else if lifecycle.holdRead() {
            stats.countReadPause()
        }
    }

    private func canRead(_ context: ChannelHandlerContext) -> Bool {
        lifecycle.reads && !backlog && canDispatch(context)
    }

    /// Room for another reply: fewer than `maxInFlightPerConnection` requests
    /// awaiting theirs, and the replies held (queued to the socket or waiting
    /// for an earlier one) below `outboundHighWaterBytes`. Every buffered line
    /// is checked against this, not only every read: a 64 KiB read holds
    /// about 1,600 requests, and answering all of a client's lines while it
    /// reads none held 100 MB per connection.
    private func canDispatch(_ context: ChannelHandlerContext) -> Bool {
        context.channel.isWritable && sequencer.inFlight < configuration.maxInFlightPerConnection
            && sequencer.bufferedBytes < configuration.outboundHighWaterBytes
    }

    // MARK: Dispatch

    /// Hands buffered complete lines to the handler until the in-flight cap.
    private func processLines(_ context: ChannelHandlerContext) {
        var extracted = false
        backlog = false
        while lifecycle.dispatches {
            if !canDispatch(context) {
                backlog = framer.bufferedBytes > 0
                return
            }
            switch framer.next() {
            case .line(let line):
                extracted = true
                dispatch(line, context)
            case .needMoreData:
                if lifecycle.inputClosed, let last = framer.finish() { dispatch(last, context) }
                armPartialTimer(lineCompleted: extracted, context)
                finishDrainIfDone(context)
                return
            case .tooLong:
                stats.countLineTooLong()
                logger.info("request line too long", metadata: ["conn": "\(requestContext.connectionID)",
                    "peer_uid": "\(requestContext.peer.uid)", "peer_pid": "\(requestContext.peer.pid)"])
                failAndClose(.lineTooLong(limit: configuration.maxLineBytes), context)
                return
            }
        }
    }

    private func dispatch(_ line: ByteBuffer, _ context: ChannelHandlerContext) {
        stats.countRequest()
        switch handler.handle(line: line, context: requestContext) {
        case .now(let response) where sequencer.isEmpty:
            write(response, context)
        case .now(let response):
            let seq = sequencer.reserve()
            sequencer.complete(seq, with: response)
        case .none:
            break
        case .later(let future):
            awaitReply(future, context)
        case .progressing(let future, let progress):
            let seq = awaitReply(future, context)
            progressLines[seq] = progress
            startProgress(context)
        }
    }

    @discardableResult
    private func awaitReply(_ future: EventLoopFuture<ByteBuffer>, _ context: ChannelHandlerContext) -> UInt64 {
        let seq = sequencer.reserve()
        stats.noteInFlight(sequencer.inFlight)
        future.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
            self.completed(seq, result, context)
        }
        return seq
    }

    private func completed(_ seq: UInt64, _ result: Result<ByteBuffer, any Error>, _ context: ChannelHandlerContext) {
        if progressLines.removeValue(forKey: seq) != nil, progressLines.isEmpty { stopProgress() }
        guard lifecycle.dispatches else { return }  // connection gone or failing
        switch result {
        case .success(let response):
            sequencer.complete(seq, with: response)
        case .failure(let error):
            logger.error("request handler failed", metadata: ["conn": "\(requestContext.connectionID)", "error": "\(error)"])
            sequencer.complete(seq, with: errors.encode(.internalError, nil, context.channel.allocator))
        }
        while let response = sequencer.popReady() { write(response, context) }
        flushIfNeeded(context)
        resume(context)
    }

    /// After a drain: dispatch what is buffered, then read again if NIO asked.
    private func resume(_ context: ChannelHandlerContext) {
        guard lifecycle.dispatches else { return }
        if backlog && canDispatch(context) {
            processLines(context)
            flushIfNeeded(context)
        }
        finishDrainIfDone(context)
        if canRead(context) && lifecycle.releaseHeldRead() { context.read() }
    }

    private func write(_ response: ByteBuffer, _ context: ChannelHandlerContext) {
        var response = response
        response.writeInteger(UInt8(ascii: "\n"))
        context.write(wrapOutboundOut(response), promise: nil)
        needsFlush = true
    }

    private func flushIfNeeded(_ context: ChannelHandlerContext) {
        if needsFlush, lifecycle.state != .closed {
            needsFlush = false
            context.flush()
        }
    }

    // MARK: Progress lines

    /// One timer per connection while any unanswered request asked for progress.
    private func startProgress(_ context: ChannelHandlerContext) {
        guard progressTimer == nil, lifecycle.dispatches else { return }
        progressTimer = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.progressInterval) {
            self.progressTimer = nil
            self.progressTick(context)
            if !self.progressLines.isEmpty { self.startProgress(context) }
        }
    }

    private func stopProgress() {
        progressTimer?.cancel()
        progressTimer = nil
    }

    /// Writes the progress line of the oldest unanswered request, if it asked
    /// for progress: a line for a later request would come before replies the
    /// client reads first. Nothing while the client is not reading (backpressure).
    private func progressTick(_ context: ChannelHandlerContext) {
        guard lifecycle.dispatches, context.channel.isWritable,
              let head = sequencer.awaitedHead, let line = progressLines[head] else { return }
        write(line(), context)
        flushIfNeeded(context)
    }

    // MARK: Closing

    /// Sends a server error line after any earlier replies, then closes.
    private func failAndClose(_ kind: ServerErrorKind, _ context: ChannelHandlerContext) {
        guard lifecycle.startClosing() else { return }
        if case .timeout = kind { stats.countTimeout() }
        cancelPartialTimer()
        // Replies still pending are dropped: the connection is ending on an error.
        var line = errors.encode(kind, nil, context.channel.allocator)
        line.writeInteger(UInt8(ascii: "\n"))
        needsFlush = false
        context.writeAndFlush(wrapOutboundOut(line)).assumeIsolated()
            .whenComplete { _ in context.close(promise: nil) }
    }

    /// A draining connection with nothing in flight and nothing buffered closes
    /// once every earlier reply is written.
    private func finishDrainIfDone(_ context: ChannelHandlerContext) {
        guard case .draining = lifecycle.state, sequencer.isEmpty, !backlog else { return }
        lifecycle.drained()
        cancelPartialTimer()
        needsFlush = false
        // An empty write completes after every earlier reply has been written.
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).assumeIsolated()
            .whenComplete { _ in context.close(promise: nil) }
    }

    // MARK: Partial-line timeout

    /// Tracks when the current partial line started (on the loop's clock); one timer at a time, re-armed lazily.
    private func armPartialTimer(lineCompleted: Bool, _ context: ChannelHandlerContext) {
        guard framer.bufferedBytes > 0 else {
            partialSince = nil
            return
        }
        if partialSince == nil || lineCompleted { partialSince = context.eventLoop.now }
        if partialTimer == nil, let since = partialSince { schedulePartialTimer(at: since + configuration.partialLineTimeout, context) }
    }

    private func schedulePartialTimer(at deadline: NIODeadline, _ context: ChannelHandlerContext) {
        partialTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.partialTimerFired(context)
        }
    }

    private func cancelPartialTimer() {
        partialTimer?.cancel()
        partialTimer = nil
    }

    private func partialTimerFired(_ context: ChannelHandlerContext) {
        partialTimer = nil
        guard lifecycle.dispatches, let since = partialSince else { return }
        if !canRead(context) {
            // We are the ones not reading (backpressure): the line cannot complete yet.
            let restarted = context.eventLoop.now
            partialSince = restarted
            schedulePartialTimer(at: restarted + configuration.partialLineTimeout, context)
            return
        }
        let deadline = since + configuration.partialLineTimeout
        if deadline <= context.eventLoop.now {
            logger.info("partial line timed out", metadata: ["conn": "\(requestContext.connectionID)",
                "peer_uid": "\(requestContext.peer.uid)", "peer_pid": "\(requestContext.peer.pid)"])
            failAndClose(.timeout(seconds: seconds(configuration.partialLineTimeout)), context)
        } else {
            schedulePartialTimer(at: deadline, context)
        }
    }
}

func seconds(_ t: TimeAmount) -> Double { Double(t.nanoseconds) / 1e9 }
