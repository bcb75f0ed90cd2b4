import Foundation
import MFLineClient
#if canImport(Glibc)
import Glibc
#endif
@testable import MFServer

/// A fake `NOTIFY_SOCKET`: a bound AF_UNIX datagram socket.
final class NotifyReceiver: @unchecked Sendable {
    let address: String
    let fd: CInt

    /// `address` is a path, or starts with '@' for the abstract namespace.
    init(address: String) throws {
        self.address = address
        fd = socket(AF_UNIX, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        var (addr, length) = try SystemdNotifier.address(for: address)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard rc == 0 else { throw LineClientError(.io, "bind \(address)" + ": errno \(errno)", errno: errno) }
    }

    deinit {
        close(fd)
        if address.hasPrefix("/") { unlink(address) }
    }

    /// The next datagram's text, or throws after `timeout` seconds.
    func receive(timeout: Double = 20) throws -> String {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let rc = poll(&pfd, 1, max(0, Int32(deadline.timeIntervalSinceNow * 1000)))
            if rc < 0 && errno == EINTR { continue }
            guard rc > 0 else { throw LineClientError(.timedOut, "timed out waiting for a notify datagram") }
            break
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n >= 0 else { throw LineClientError(.io, "recv" + ": errno \(errno)", errno: errno) }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }

    /// Receives datagrams until one contains `line` (e.g. "READY=1").
    func waitFor(_ line: String, timeout: Double = 20) throws -> [String] {
        var seen: [String] = []
        while true {
            let message = try receive(timeout: timeout)
            seen.append(message)
            if message.split(separator: "\n").contains(Substring(line)) { return seen }
        }
    }
}
