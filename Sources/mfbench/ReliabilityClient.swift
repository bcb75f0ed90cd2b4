import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Blocking JSON-lines client over a Unix socket for the reliability
/// commands; every wait has a deadline. One thread uses it at a time.
final class RelClient: @unchecked Sendable {
    typealias Failure = UnixSocket.Failure

    let fd: CInt
    private var buffer: [UInt8] = []
    private var nextID = 1

    init(path: String) throws {
        signal(SIGPIPE, SIG_IGN)
        fd = try UnixSocket.connect(path: path)
    }

    deinit { Glibc.close(fd) }

    /// Connects, retrying while the socket is absent or refuses, until `timeout` seconds.
    static func connect(path: String, timeout: Double, alive: () -> Bool = { true }) throws -> RelClient {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            do { return try RelClient(path: path) } catch {
                guard Date() < deadline, alive() else { throw error }
                _ = poll(nil, 0, 5)  // retry interval, bounded by the deadline
            }
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws { try UnixSocket.send(fd, bytes) }

    /// The next line, or nil at end of stream.
    func readLine(timeout: Double = 60) throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let nl = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                return line
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, max(0, Int32(deadline.timeIntervalSinceNow * 1000)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { throw Failure(description: "timed out waiting for a reply") }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }  // EOF or reset
            buffer += chunk[..<n]
        }
    }

    /// Sends one request object (with a fresh numeric id) and returns the parsed reply.
    func call(_ op: String, _ params: [String: Any] = [:], timeout: Double = 60) throws -> RelReply {
        var object = params
        object["op"] = op
        object["id"] = nextID
        nextID += 1
        let data = try JSONSerialization.data(withJSONObject: object)
        try send(Array(data) + [10])
        guard let line = try readLine(timeout: timeout) else { throw Failure(description: "connection closed") }
        return try RelReply(line)
    }
}

/// One parsed reply line.
struct RelReply: CustomStringConvertible {
    let raw: String
    let object: [String: Any]

    init(_ line: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw RelClient.Failure(description: "reply is not an object: \(line.prefix(200))")
        }
        raw = line
        self.object = object
    }

    var ok: Bool { object["ok"] as? Bool == true }
    var result: [String: Any] { object["result"] as? [String: Any] ?? [:] }
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var description: String { String(raw.prefix(300)) }

    /// The `result` member re-serialized with sorted keys: equal results compare equal.
    var canonicalResult: String {
        let data = (try? JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A value behind a lock, shareable between the reliability commands' threads.
final class LockedBox<Value>: @unchecked Sendable {  // every access holds `lock`
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
