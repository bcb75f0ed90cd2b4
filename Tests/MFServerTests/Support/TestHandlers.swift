import Foundation
import MFLineClient
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
@testable import MFServer

/// Replies `r:<line>` at once, or, for lines starting with `later:`, when the
/// test completes them. Signals each deferred arrival through a condition.
final class GatedHandler: LineRequestHandler, @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [String: EventLoopPromise<ByteBuffer>] = [:]
    private var calls = 0
    /// When set, deferred lines complete at once from another loop (still out of band).
    private var released = false
    let replyPadding: Int

    init(replyPadding: Int = 0) { self.replyPadding = replyPadding }

    func handle(line: ByteBuffer, context: RequestContext) -> LineReply {
        let text = String(buffer: line)
        let reply = "r:" + text + String(repeating: " ", count: replyPadding)
        condition.lock()
        defer { condition.unlock() }
        calls += 1
        guard text.hasPrefix("later:") else { return .now(context.allocator.buffer(string: reply)) }
        if released {
            let other = MultiThreadedEventLoopGroup.singleton.next()
            return .later(other.submit { ByteBuffer(string: reply) })
        }
        let promise = context.eventLoop.makePromise(of: ByteBuffer.self)
        pending[text] = promise
        condition.broadcast()
        return .later(promise.futureResult)
    }

    var callCount: Int { condition.withLock { calls } }
    var pendingCount: Int { condition.withLock { pending.count } }

    /// Blocks until `count` deferred requests wait, or throws after `timeout`.
    func waitForPending(_ count: Int, timeout: Double = 10) throws {
        try condition.wait(for: "\(count) pending requests", timeout: timeout) { pending.count >= count }
    }

    /// Completes one deferred request (from the calling thread).
    func complete(_ line: String) {
        let promise = condition.withLock { pending.removeValue(forKey: line) }
        promise?.succeed(ByteBuffer(string: "r:" + line + String(repeating: " ", count: replyPadding)))
    }

    /// Completes everything pending and answers future deferred lines at once.
    func releaseAll() {
        let all = condition.withLock { () -> [(String, EventLoopPromise<ByteBuffer>)] in
            released = true
            defer { pending.removeAll() }
            return Array(pending)
        }
        for (line, promise) in all {
            promise.succeed(ByteBuffer(string: "r:" + line + String(repeating: " ", count: replyPadding)))
        }
    }
}

/// Replies with the peer credentials the server saw.
struct PeerEchoHandler: LineRequestHandler {
    func handle(line: ByteBuffer, context: RequestContext) -> LineReply {
        let p = context.peer
        return .now(context.allocator.buffer(string: "\(p.pid) \(p.uid) \(p.gid) \(p.supplementaryGroups.count)"))
    }
}

/// Replies with the connection's id; records the ids of closed connections.
final class ConnectionCloseRecorder: LineRequestHandler, @unchecked Sendable {
    private let condition = NSCondition()
    private var closedIDs: [UInt64] = []

    func handle(line: ByteBuffer, context: RequestContext) -> LineReply {
        .now(context.allocator.buffer(string: "\(context.connectionID)"))
    }

    func connectionClosed(context: RequestContext) {
        condition.withLock {
            closedIDs.append(context.connectionID)
            condition.broadcast()
        }
    }

    var closed: [UInt64] { condition.withLock { closedIDs } }

    /// Blocks until `count` connections have closed, or throws after `timeout`.
    func waitForClosed(_ count: Int, timeout: Double = 10) throws {
        try condition.wait(for: "\(count) closed connections", timeout: timeout) { closedIDs.count >= count }
    }
}

extension NSCondition {
    /// Takes the lock and waits for signals until `done` holds (checked under
    /// the lock), or throws `timedOut(what)` after `timeout` seconds.
    func wait(for what: String, timeout: Double, until done: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        lock()
        defer { unlock() }
        while !done() {
            guard wait(until: deadline) else { throw LineClientError(.timedOut, "timed out waiting for \(what)") }
        }
    }
}
