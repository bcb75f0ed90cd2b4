import Foundation
import MFProtocol
#if canImport(Glibc)
import Glibc
#endif

/// Blocking Unix-socket JSON-lines client; every wait has a deadline.
final class LineClient: @unchecked Sendable {  // used by one thread at a time
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let fd: CInt
    private var buffer: [UInt8] = []
    private var nextID = 1

    init(path: String) throws {
        fd = try Self.connected(path)
    }

    /// A connected descriptor, or a throw with nothing left open. (Not done in
    /// `init` itself: a class init that throws after `fd` is set runs `deinit`,
    /// which closed the descriptor a second time — by then possibly another
    /// test's SQLite file or socket.)
    private static func connected(_ path: String) throws -> CInt {
        signal(SIGPIPE, SIG_IGN)
        do { return try SocketPath.connect(path) } catch { throw Failure(description: error.description) }
    }

    deinit { Glibc.close(fd) }

    /// Connects, retrying while the socket is absent or refuses, until `timeout`.
    static func connect(path: String, timeout: Double, alive: () -> Bool) throws -> LineClient {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            do { return try LineClient(path: path) } catch {
                guard Date() < deadline, alive() else { throw error }
                _ = poll(nil, 0, 20)  // retry interval, bounded by the deadline
            }
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, CInt(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "send: errno \(errno)")
            }
            offset += n
        }
    }

    /// The next line, or nil at end of stream.
    func readLine(timeout: Double = 120) throws -> String? {
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
            if n <= 0 { return nil }
            buffer += chunk[..<n]
        }
    }

    /// Sends one request object and returns the parsed reply.
    func call(_ op: String, _ params: [String: Any] = [:], timeout: Double = 120) throws -> Reply {
        var object = params
        object["op"] = op
        object["id"] = nextID
        nextID += 1
        let data = try JSONSerialization.data(withJSONObject: object)
        try send(String(decoding: data, as: UTF8.self) + "\n")
        return try reply(timeout: timeout)
    }

    /// Reads and parses one reply line.
    func reply(timeout: Double = 120) throws -> Reply {
        guard let line = try readLine(timeout: timeout) else { throw Failure(description: "connection closed") }
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw Failure(description: "reply is not an object: \(line)")
        }
        return Reply(raw: line, object: object)
    }
}

/// One parsed reply.
struct Reply: CustomStringConvertible {
    let raw: String
    let object: [String: Any]

    var ok: Bool { object["ok"] as? Bool == true }
    var result: [String: Any] { object["result"] as? [String: Any] ?? [:] }
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var errorField: String? { (object["error"] as? [String: Any])?["field"] as? String }
    var description: String { raw }

    /// `result.items[].item` of recommend-like replies.
    var itemIDs: [Int64] { (result["items"] as? [[String: Any]] ?? []).compactMap { ($0["item"] as? NSNumber)?.int64Value } }
    var items: [[String: Any]] { result["items"] as? [[String: Any]] ?? [] }
}
