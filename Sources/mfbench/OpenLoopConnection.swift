import Foundation
import MFLineClient
#if canImport(Glibc)
import Glibc
#endif

/// One nonblocking connection of the open-loop client (`mfbench serve --rate`):
/// bytes not yet written and the scheduled times of requests sent and not yet
/// answered (replies come back in request order, so they pair up first in,
/// first out). The socket and framing are `LineClient`'s.
final class OpenLoopConnection {
    private let client: LineClient
    private var outbox: [UInt8] = []
    private var scheduled: [ContinuousClock.Instant] = []
    private var head = 0

    init(path: String) throws {
        client = try LineClient(path: path, nonblocking: true)
    }

    var fd: CInt { client.fd }

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
        outbox.removeFirst(try client.write(outbox[...]))
    }

    /// Reads what is there and hands each complete reply line to `reply` with
    /// its request's scheduled time. Throws when mfd closes the connection.
    func receive(_ reply: (ContinuousClock.Instant, ArraySlice<UInt8>) throws -> Void) throws {
        guard try client.receiveAvailable() else { throw LineClientError(.closed, "connection closed by mfd") }
        while let line = try client.bufferedLine() {
            guard head < scheduled.count else { throw LineClientError(.badReply, "mfd sent a reply nobody asked for") }
            try reply(scheduled[head], line)
            head += 1
        }
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
