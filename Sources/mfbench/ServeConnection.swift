import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking Unix-socket connection for `mfbench serve`: write request
/// lines, read response lines. One thread per connection.
final class ServeConnection: @unchecked Sendable {  // each is used by one thread at a time
    typealias Failure = UnixSocket.Failure

    private let fd: CInt
    private var buffer: [UInt8] = []
    private var start = 0
    /// Reused receive buffer (a fresh zeroed 64 KiB per recv cost the client more CPU than parsing).
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    init(path: String) throws {
        fd = try UnixSocket.connect(path: path)
    }

    deinit { Glibc.close(fd) }

    func send(_ bytes: [UInt8]) throws { try UnixSocket.send(fd, bytes) }

    /// Ends reading: a thread blocked in `readLine` gets "connection closed".
    func shutdownRead() { _ = Glibc.shutdown(fd, CInt(SHUT_RD)) }

    /// The next response line's bytes (without the newline).
    func readLine() throws -> ArraySlice<UInt8> {
        while true {
            if let nl = buffer[start...].firstIndex(of: 10) {
                let line = buffer[start..<nl]
                start = nl + 1
                return line
            }
            if start > 0 { buffer.removeFirst(start); start = 0 }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure(description: "connection closed by mfd") }
            buffer += chunk[..<n]
        }
    }

    /// True for an error reply (`"ok":false` follows the id near the start).
    /// A plain byte search: Foundation's `contains` cost the client 10% of its CPU.
    static func isError(_ reply: ArraySlice<UInt8>) -> Bool {
        let needle = Array(#""ok":false"#.utf8), head = reply.prefix(64 + needle.count)
        guard head.count >= needle.count else { return false }
        return (head.startIndex...(head.endIndex - needle.count)).contains { i in
            head[i..<(i + needle.count)].elementsEqual(needle)
        }
    }

    /// One request/response round trip; throws on an error reply.
    func call(_ line: String) throws -> ArraySlice<UInt8> {
        try send(Array((line + "\n").utf8))
        let reply = try readLine()
        guard !Self.isError(reply) else {
            throw Failure(description: "mfd answered an error: \(String(decoding: reply, as: UTF8.self))")
        }
        return reply
    }
}
