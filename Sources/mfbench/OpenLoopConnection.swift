import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One nonblocking connection of the open-loop client (`mfbench serve --rate`):
/// bytes not yet written, bytes read but not yet split into lines, and the
/// scheduled times of requests sent and not yet answered (replies come back
/// in request order, so they pair up first in, first out).
final class OpenLoopConnection {
    let fd: CInt
    private var outbox: [UInt8] = []
    private var inbox: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var scheduled: [ContinuousClock.Instant] = []
    private var head = 0

    init(path: String) throws {
        fd = try UnixSocket.connect(path: path)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { Glibc.close(fd) }

    /// True while some request bytes wait for the socket to take them.
    var wantsWrite: Bool { !outbox.isEmpty }

    /// Queues one request line scheduled for `at` and writes as much as the socket takes.
    func send(_ line: [UInt8], scheduledAt at: ContinuousClock.Instant) throws {
        scheduled.append(at)
        outbox += line
        try flush()
    }

    /// Writes queued bytes until done or the socket would block.
    func flush() throws {
        outbox.removeFirst(try UnixSocket.write(fd, outbox[...]))
    }

    /// Reads what is there and hands each complete reply line to `reply` with
    /// its request's scheduled time. Throws when mfd closes the connection.
    func receive(_ reply: (ContinuousClock.Instant, ArraySlice<UInt8>) throws -> Void) throws {
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                throw UnixSocket.Failure(description: "recv: \(String(cString: strerror(errno)))")
            }
            guard n > 0 else { throw UnixSocket.Failure(description: "connection closed by mfd") }
            inbox += chunk[..<n]
            if n < chunk.count { break }
        }
        var start = 0
        while let nl = inbox[start...].firstIndex(of: 10) {
            guard head < scheduled.count else { throw UnixSocket.Failure(description: "mfd sent a reply nobody asked for") }
            try reply(scheduled[head], inbox[start..<nl])
            head += 1
            start = nl + 1
        }
        inbox.removeFirst(start)
        if head > 4096 && head * 2 > scheduled.count { scheduled.removeFirst(head); head = 0 }
    }
}

/// A `select(2)` descriptor set (Swift does not import the FD_SET macros;
/// the bits are little-endian words, so bit `fd` is bit `fd % 8` of byte `fd / 8`).
struct DescriptorSet {
    var raw = fd_set()

    mutating func insert(_ fd: CInt) {
        precondition(fd >= 0 && fd < FD_SETSIZE, "descriptor \(fd) out of select's range")
        withUnsafeMutableBytes(of: &raw) { $0[Int(fd) / 8] |= UInt8(1 << (fd % 8)) }
    }

    func contains(_ fd: CInt) -> Bool {
        withUnsafeBytes(of: raw) { $0[Int(fd) / 8] & UInt8(1 << (fd % 8)) != 0 }
    }
}
