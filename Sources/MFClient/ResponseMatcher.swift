import MFProtocol
import NIOCore

/// Matches response lines to requests in order (responses come back in request order).
/// Lives on the channel's event loop; every promise is completed exactly once.
final class ResponseMatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private var pending = CircularBuffer<EventLoopPromise<[UInt8]>>()
    private var closedError: MFClientError?

    /// Registers the promise of the next request written; fails at once if closed.
    func enqueue(_ promise: EventLoopPromise<[UInt8]>) {
        if let e = closedError { promise.fail(e) } else { pending.append(promise) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let line = buffer.readBytes(length: buffer.readableBytes) ?? []
        guard let promise = pending.popFirst() else {
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
        promise.succeed(line)
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
        while let p = pending.popFirst() { p.fail(error) }
    }
}
