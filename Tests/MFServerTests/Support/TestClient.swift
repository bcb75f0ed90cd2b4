import Foundation
import MFProtocol
#if canImport(Glibc)
import Glibc
#endif

/// Blocking Unix-socket line client for tests; every wait has a deadline.
final class TestClient: @unchecked Sendable {
    enum Failure: Error, CustomStringConvertible {
        case system(String, Int32)
        case timedOut(String)
        var description: String {
            switch self {
            case .system(let call, let e): "\(call): \(String(cString: strerror(e)))"
            case .timedOut(let what): "timed out waiting for \(what)"
            }
        }
    }

    let fd: CInt
    private var buffer: [UInt8] = []

    /// Connects once (the server is already listening).
    init(path: String) throws {
        fd = try Self.connected(path)
    }

    /// A connected descriptor, or a throw with nothing left open. (Not done in
    /// `init` itself: a class init that throws after `fd` is set runs `deinit`,
    /// which closed the descriptor a second time — by then possibly another
    /// test's SQLite file or socket.)
    private static func connected(_ path: String) throws -> CInt {
        do { return try SocketPath.connect(path) } catch { throw Failure.system("\(error.call) \(path)", error.errno) }
    }

    /// Connects, retrying while the socket does not exist or refuses, until `timeout`.
    static func connect(path: String, timeout: Double = 20) throws -> TestClient {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            do {
                return try TestClient(path: path)
            } catch Failure.system(_, let e) where (e == ENOENT || e == ECONNREFUSED) && Date() < deadline {
                _ = poll(nil, 0, 5)  // retry interval, bounded by the deadline
            }
        }
    }

    deinit { Glibc.close(fd) }

    /// Writes all of `text` (MSG_NOSIGNAL: a closed peer is an error, not SIGPIPE).
    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, CInt(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure.system("send", errno)
            }
            offset += n
        }
    }

    /// The next line (newline stripped), or nil at end of stream.
    func readLine(timeout: Double = 10) throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                return line
            }
            guard try fill(until: deadline) else { return nil }
        }
    }

    /// Reads until the server closes; returns the complete lines received.
    func readUntilClosed(timeout: Double = 10) throws -> [String] {
        var lines: [String] = []
        while let line = try readLine(timeout: timeout) { lines.append(line) }
        return lines
    }

    /// Reads more bytes; false at EOF or connection reset.
    private func fill(until deadline: Date) throws -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = max(0, Int32(deadline.timeIntervalSinceNow * 1000))
        let ready = poll(&pfd, 1, ms)
        if ready < 0 && errno == EINTR { return true }
        guard ready > 0 else { throw Failure.timedOut("a line") }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 {
            if errno == EINTR { return true }
            if errno == ECONNRESET { return false }
            throw Failure.system("recv", errno)
        }
        if n == 0 { return false }
        buffer += chunk[..<n]
        return true
    }

    func shutdownWrite() { Glibc.shutdown(fd, CInt(SHUT_WR)) }
}

/// A short unique socket path under /tmp.
func uniqueSocketPath(_ tag: String = "s") -> String {
    "/tmp/mfdt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(tag).sock"
}

/// Polls `condition` until it holds or `timeout` passes (for counters with no event to wait on).
func eventually(timeout: Double = 10, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() > deadline { return false }
        await Task.yield()
    }
    return true
}
