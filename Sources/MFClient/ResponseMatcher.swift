import MFProtocol
import NIOCore

/// Matches response lines to requests in order (responses come back in request order),
/// hands progress lines to the request they are for, and fails everything when mfd
/// stays silent for `silence` while a request awaits its reply: a timeout measures
/// silence, not total time, so a long operation that reports progress never times out.
/// Lives on the channel's event loop; every promise is completed exactly once.
final class ResponseMatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// A request awaiting its reply.
    struct Waiter {
        let id: RequestID
        let promise: EventLoopPromise<[UInt8]>
        let progress: (@Sendable (ProgressReport) -> Void)?
    }

    private var pending = CircularBuffer<Waiter>()
    private var closedError: MFClientError?
    private let silence: TimeAmount
    private var lastHeard = NIODeadline.now()
    private var watchdog: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    /// `silence`: the longest mfd may say nothing while a request awaits its reply.
    init(silence: TimeAmount) { self.silence = silence }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        watchdog?.cancel()
        watchdog = nil
        self.context = nil
    }

    /// Registers the next request written; fails at once if closed.
    func enqueue(_ waiter: Waiter) {
        if let e = closedError { return waiter.promise.fail(e) }
        // Silence counts from when the client starts waiting.
        if pending.isEmpty { lastHeard = .now() }
        pending.append(waiter)
        armWatchdog()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastHeard = .now()
        var buffer = unwrapInboundIn(data)
        let line = buffer.readBytes(length: buffer.readableBytes) ?? []
        if let (id, report) = ResponseLine.progress(in: line) {
            // Progress of the request awaited first; anything else is not ours to show.
            if let head = pending.first, head.id == id { head.progress?(report) }
            return
        }
        guard let waiter = pending.popFirst() else {
            // The connection's own error (too_many_connections, sent as soon as the server
            // refuses a connection, maybe before any request): every request gets it.
            if let r = try? ResponseLine(line), r.id == .null, case .failure(let e) = r.outcome {
                failAll(.daemon(e))
            } else {
                // A response nobody asked for: out of step.
                failAll(.badResponse("unexpected line: \(String(decoding: line.prefix(200), as: UTF8.self))"))
            }
            context.close(promise: nil)
            return
        }
        waiter.promise.succeed(line)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(.badResponse("\(error)"))
        context.close(promise: nil)
    }

    func failAll(_ error: MFClientError) {
        if closedError == nil { closedError = error }
        watchdog?.cancel()
        watchdog = nil
        while let w = pending.popFirst() { w.promise.fail(error) }
    }

    /// One timer while requests wait: it fires `silence` after the last line heard.
    private func armWatchdog() {
        guard watchdog == nil, let context, !pending.isEmpty else { return }
        watchdog = context.eventLoop.assumeIsolated().scheduleTask(deadline: lastHeard + silence) {
            self.watchdogFired()
        }
    }

    private func watchdogFired() {
        watchdog = nil
        guard !pending.isEmpty, let context else { return }
        if NIODeadline.now() >= lastHeard + silence {
            // Later replies would be out of step: the connection ends here.
            failAll(.timeout(seconds: Double(silence.nanoseconds) / 1e9))
            context.close(promise: nil)
        } else {
            armWatchdog()
        }
    }
}
