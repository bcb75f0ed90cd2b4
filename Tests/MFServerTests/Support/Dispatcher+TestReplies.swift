import NIOCore
import NIOPosix
import Testing
@testable import MFServer

extension Dispatcher {
    /// A request from peer pid 1 with `uid` (gid 4242) on a fresh connection.
    static func testContext(uid: uid_t = 0) -> RequestContext {
        RequestContext(peer: PeerCredentials(pid: 1, uid: uid, gid: 4242), allocator: ByteBufferAllocator(),
                       eventLoop: MultiThreadedEventLoopGroup.singleton.next(), connectionID: UInt64.random(in: 1...UInt64.max))
    }

    /// The reply to one line, awaiting an asynchronous one (writes); nil when the line gets none.
    func testReply(_ line: [UInt8], uid: uid_t = 0) async throws -> String? {
        try await testReply(line, context: Self.testContext(uid: uid))
    }

    /// As `testReply(_:uid:)`, on the connection `context` stands for.
    func testReply(_ line: [UInt8], context: RequestContext) async throws -> String? {
        switch handle(line: ByteBuffer(bytes: line), context: context) {
        case .none: return nil
        case .now(let b): return String(buffer: b)
        case .later(let f), .progressing(let f, _): return String(buffer: try await f.get())
        }
    }

    /// The reply to a line that must be answered at once, on the event loop (reads);
    /// records an issue and returns "" otherwise.
    func immediateReply(_ line: String) -> String {
        guard case .now(let b) = handle(line: ByteBuffer(string: line), context: Self.testContext()) else {
            Issue.record("\(line) was not answered at once")
            return ""
        }
        return String(buffer: b)
    }
}
