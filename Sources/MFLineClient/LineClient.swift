import Foundation
import MFProtocol
#if canImport(Glibc)
import Glibc
#endif

/// One Unix-socket connection speaking lines: the socket and framing layer of
/// every client outside mfctl (mfbench's closed-loop and open-loop load,
/// the reliability harness, the tests). Blocking by default, where every
/// wait can have a deadline; nonblocking for the open-loop client, which
/// waits in `select` itself. Used by one thread at a time.
public final class LineClient: @unchecked Sendable {  // one thread at a time
    public let fd: CInt
    private var framer = LineFramer(maxLineBytes: .max)
    /// Reused receive buffer (a fresh zeroed 64 KiB per recv cost mfbench's client more CPU than parsing).
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var requestCount = 0

    /// Connects once. A nonblocking client's `write` takes what fits and `receiveAvailable` never waits.
    public init(path: String, nonblocking: Bool = false) throws(LineClientError) {
        // Not assigned before it succeeds: a class init that throws after `fd` is
        // set runs `deinit`, which would close a descriptor some other test owns by then.
        fd = try Self.connected(path)
        if nonblocking { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    /// Takes over a connected descriptor (a test server's accepted connection).
    public init(descriptor: CInt) { fd = descriptor }

    deinit { close(fd) }

    /// The id of the next `call` (1, 2, …).
    func nextRequestID() -> Int {
        requestCount += 1
        return requestCount
    }

    private static func connected(_ path: String) throws(LineClientError) -> CInt {
        signal(SIGPIPE, SIG_IGN)
        do { return try SocketPath.connect(path) } catch {
            throw LineClientError(.connect, error.description, errno: error.errno)
        }
    }

    /// Connects, retrying while the socket is absent or refuses (a daemon
    /// still starting), until `timeout` seconds pass or `alive` turns false.
    public static func connect(path: String, timeout: Double, alive: () -> Bool = { true }) throws(LineClientError) -> LineClient {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            do { return try LineClient(path: path) } catch where [ENOENT, ECONNREFUSED, EAGAIN].contains(error.errno) {
                guard Date() < deadline, alive() else { throw error }
                _ = poll(nil, 0, 5)  // retry interval, bounded by the deadline
            }
        }
    }

    // MARK: Writing

    /// Writes all of `bytes` (MSG_NOSIGNAL: a closed peer is an error, not SIGPIPE).
    public func send(_ bytes: [UInt8]) throws(LineClientError) {
        guard try write(bytes[...]) == bytes.count else {
            throw LineClientError(.io, "send: the socket is full (nonblocking)", errno: EAGAIN)
        }
    }

    public func send(_ text: String) throws(LineClientError) { try send(Array(text.utf8)) }

    /// Writes `bytes` until done or, on a nonblocking socket, until it would
    /// block; returns how many were written. Retries on EINTR.
    public func write(_ bytes: ArraySlice<UInt8>) throws(LineClientError) -> Int {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, CInt(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                throw .system(.io, "send")
            }
            offset += n
        }
        return offset - bytes.startIndex
    }

    /// Ends writing: the peer reads end of input after what was sent.
    public func shutdownWrite() { _ = Glibc.shutdown(fd, CInt(SHUT_WR)) }

    /// Ends reading: a thread blocked in `readLine` sees end of stream.
    public func shutdownRead() { _ = Glibc.shutdown(fd, CInt(SHUT_RD)) }

    // MARK: Reading

    /// The next line (newline stripped), or nil at end of stream (EOF or reset).
    /// Waits at most `timeout` seconds (nil: as long as it takes).
    public func readLine(timeout: Double? = nil) throws(LineClientError) -> ArraySlice<UInt8>? {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            if let line = try bufferedLine() { return line }
            if let deadline {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, max(0, Int32(deadline.timeIntervalSinceNow * 1000)))
                if ready < 0 && errno == EINTR { continue }
                guard ready > 0 else { throw LineClientError(.timedOut, "no reply line within \(timeout ?? 0) s") }
            }
            guard try receive() != nil else { return nil }
        }
    }

    /// `readLine` as text.
    public func readText(timeout: Double? = nil) throws(LineClientError) -> String? {
        try readLine(timeout: timeout).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every remaining line until the peer closes.
    public func readUntilClosed(timeout: Double = 10) throws(LineClientError) -> [String] {
        var lines: [String] = []
        while let line = try readText(timeout: timeout) { lines.append(line) }
        return lines
    }

    /// Nonblocking: reads what has arrived, without waiting. False at end of stream.
    public func receiveAvailable() throws(LineClientError) -> Bool {
        while true {
            guard let n = try receive() else { return false }
            if n < chunk.count { return true }  // a short read or EAGAIN: nothing more waiting
        }
    }

    /// A complete line already received, if any.
    public func bufferedLine() throws(LineClientError) -> ArraySlice<UInt8>? {
        switch framer.next() {
        case .line(let line): return line
        case .tooLong: throw LineClientError(.badReply, "reply line over \(framer.maxLineBytes) bytes")
        case nil: return nil
        }
    }

    /// One `recv` into the framer: the bytes read (0 when a nonblocking socket
    /// has none), or nil at end of stream (EOF or reset).
    private func receive() throws(LineClientError) -> Int? {
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                framer.append(chunk[..<n])
                return n
            }
            if n == 0 { return nil }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return 0
            case ECONNRESET: return nil
            default: throw .system(.io, "recv")
            }
        }
    }
}
