import Logging
import NIOCore
import NIOExtras

/// One connection: framing, dispatch, in-order replies, backpressure,
/// partial-line timeout and graceful quiescing. Runs entirely on the
/// channel's event loop.
final class LineConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let handler: any LineRequestHandler
    private let config: SocketServerConfiguration
    private let errors: ErrorLineEncoder
    private let stats: ServerStats
    private let logger: Logger
    private let requestContext: RequestContext

    private var framer: ByteBufferLineFramer
    private var sequencer = ResponseSequencer()
    private var context: ChannelHandlerContext!
    /// NIO asked for a read while we were applying backpressure.
    private var readPending = false
    private var closing = false
    private var quiescing = false
    /// The peer shut down its write side; finish replies, then close.
    private var inputClosed = false
    /// Complete lines may still sit in the framer (we stopped at the in-flight cap).
    private var framerHasLines = false
    private var needsFlush = false
    private var partialSince: NIODeadline?
    private var partialTimer: Scheduled<Void>?

    init(handler: any LineRequestHandler, config: SocketServerConfiguration, errors: ErrorLineEncoder,
         stats: ServerStats, logger: Logger, requestContext: RequestContext) {
        self.handler = handler
        self.config = config
        self.errors = errors
        self.stats = stats
        self.logger = logger
        self.requestContext = requestContext
        self.framer = ByteBufferLineFramer(maxLineBytes: config.maxLineBytes)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        partialTimer?.cancel()
        partialTimer = nil
        self.context = nil
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        framer.append(unwrapInboundIn(data))
        processLines()
    }

    /// The peer is gone: buffered lines are dropped and replies still to come are discarded.
    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        partialTimer?.cancel()
        context.fireChannelInactive()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { resume() }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            quiescing = true
            finishQuiesceIfDone()
        } else if case .some(.inputClosed) = event as? ChannelEvent {
            // The client half-closed (e.g. `socat` after stdin EOF): answer what it sent, then close.
            inputClosed = true
            processLines()
            flushIfNeeded()
        } else if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            // Only a connection with nothing in flight is idle.
            if sequencer.isEmpty && !closing { failAndClose(.timeout(seconds: config.idleConnectionTimeout.map(seconds) ?? 0)) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["conn": "\(requestContext.connectionID)", "error": "\(error)"])
        closing = true
        context.close(promise: nil)
    }

    // MARK: Outbound

    func read(context: ChannelHandlerContext) {
        if canRead {
            context.read()
        } else if !readPending {
            readPending = true
            if !closing && !quiescing { stats.countReadPause() }
        }
    }

    private var canRead: Bool {
        !closing && !quiescing && !inputClosed && !framerHasLines && canDispatch
    }

    /// Room for another reply: fewer than `maxInFlightPerConnection` requests
    /// awaiting theirs, and the replies held (queued to the socket or waiting
    /// for an earlier one) below `outboundHighWaterBytes`. Every buffered line
    /// is checked against this, not only every read: a 64 KiB read holds
    /// about 1,600 requests, and answering all of a client's lines while it
    /// reads none held 100 MB per connection.
    private var canDispatch: Bool {
        (context?.channel.isWritable ?? false) && sequencer.inFlight < config.maxInFlightPerConnection
            && sequencer.bufferedBytes < config.outboundHighWaterBytes
    }

    // MARK: Dispatch

    /// Hands buffered complete lines to the handler until the in-flight cap.
    private func processLines() {
        var extracted = false
        framerHasLines = false
        while !closing {
            if !canDispatch {
                framerHasLines = framer.bufferedBytes > 0
                break
            }
            switch framer.next() {
            case .line(let line):
                extracted = true
                dispatch(line)
            case .needMoreData:
                if inputClosed, let last = framer.finish() { dispatch(last) }
                armPartialTimer(lineCompleted: extracted)
                finishQuiesceIfDone()
                return
            case .tooLong:
                stats.countLineTooLong()
                logger.info("request line too long", metadata: ["conn": "\(requestContext.connectionID)",
                    "peer_uid": "\(requestContext.peer.uid)", "peer_pid": "\(requestContext.peer.pid)"])
                failAndClose(.lineTooLong(limit: config.maxLineBytes))
                return
            }
        }
    }

    private func dispatch(_ line: ByteBuffer) {
        stats.countRequest()
        switch handler.handle(line: line, context: requestContext) {
        case .now(let response) where sequencer.isEmpty:
            write(response)
        case .now(let response):
            let seq = sequencer.reserve()
            sequencer.complete(seq, with: response)
        case .none:
            break
        case .later(let future):
            let seq = sequencer.reserve()
            stats.noteInFlight(sequencer.inFlight)
            future.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
                self.completed(seq, result)
            }
        }
    }

    private func completed(_ seq: UInt64, _ result: Result<ByteBuffer, any Error>) {
        guard context != nil, !closing else { return }  // connection already gone or failing
        switch result {
        case .success(let response):
            sequencer.complete(seq, with: response)
        case .failure(let error):
            logger.error("request handler failed", metadata: ["conn": "\(requestContext.connectionID)", "error": "\(error)"])
            sequencer.complete(seq, with: errors.encode(.internalError, nil, context.channel.allocator))
        }
        while let response = sequencer.popReady() { write(response) }
        flushIfNeeded()
        resume()
    }

    /// After a drain: dispatch what is buffered, then read again if NIO asked.
    private func resume() {
        guard !closing else { return }
        if framerHasLines && canDispatch {
            processLines()
            flushIfNeeded()
        }
        finishQuiesceIfDone()
        if readPending && canRead {
            readPending = false
            context.read()
        }
    }

    private func write(_ response: ByteBuffer) {
        var response = response
        response.writeInteger(UInt8(ascii: "\n"))
        context.write(wrapOutboundOut(response), promise: nil)
        needsFlush = true
    }

    private func flushIfNeeded() {
        if needsFlush, let context {
            needsFlush = false
            context.flush()
        }
    }

    // MARK: Closing

    /// Sends a server error line after any earlier replies, then closes.
    private func failAndClose(_ kind: ServerErrorKind) {
        guard !closing else { return }
        closing = true
        if case .timeout = kind { stats.countTimeout() }
        partialTimer?.cancel()
        // Replies still pending are dropped: the connection is ending on an error.
        let context = self.context!
        var line = errors.encode(kind, nil, context.channel.allocator)
        line.writeInteger(UInt8(ascii: "\n"))
        needsFlush = false
        context.writeAndFlush(wrapOutboundOut(line)).assumeIsolated()
            .whenComplete { _ in context.close(promise: nil) }
    }

    private func finishQuiesceIfDone() {
        guard quiescing || inputClosed, !closing, sequencer.isEmpty, !framerHasLines else { return }
        closing = true
        partialTimer?.cancel()
        needsFlush = false
        // An empty write completes after every earlier reply has been written.
        let context = self.context!
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).assumeIsolated()
            .whenComplete { _ in context.close(promise: nil) }
    }

    // MARK: Partial-line timeout

    /// Tracks when the current partial line started; one timer at a time, re-armed lazily.
    private func armPartialTimer(lineCompleted: Bool) {
        guard framer.bufferedBytes > 0 else {
            partialSince = nil
            return
        }
        if partialSince == nil || lineCompleted { partialSince = .now() }
        if partialTimer == nil { schedulePartialTimer(at: partialSince! + config.partialLineTimeout) }
    }

    private func schedulePartialTimer(at deadline: NIODeadline) {
        partialTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.partialTimerFired()
        }
    }

    private func partialTimerFired() {
        partialTimer = nil
        guard context != nil, !closing, let since = partialSince else { return }
        if !canRead {
            // We are the ones not reading (backpressure): the line cannot complete yet.
            partialSince = .now()
            schedulePartialTimer(at: partialSince! + config.partialLineTimeout)
            return
        }
        let deadline = since + config.partialLineTimeout
        if deadline <= .now() {
            logger.info("partial line timed out", metadata: ["conn": "\(requestContext.connectionID)",
                "peer_uid": "\(requestContext.peer.uid)", "peer_pid": "\(requestContext.peer.pid)"])
            failAndClose(.timeout(seconds: seconds(config.partialLineTimeout)))
        } else {
            schedulePartialTimer(at: deadline)
        }
    }
}

func seconds(_ t: TimeAmount) -> Double { Double(t.nanoseconds) / 1e9 }
