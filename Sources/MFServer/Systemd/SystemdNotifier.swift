#if canImport(Glibc)
import Glibc
#endif

/// One state line of the sd_notify protocol.
public enum NotifyState: Sendable, Equatable {
    case ready
    case stopping
    case reloading
    case watchdog
    case status(String)

    /// The `KEY=value` line (newlines in a status are replaced by spaces).
    public var line: String {
        switch self {
        case .ready: "READY=1"
        case .stopping: "STOPPING=1"
        case .reloading: "RELOADING=1"
        case .watchdog: "WATCHDOG=1"
        case .status(let text): "STATUS=" + text.replacingNewlines()
        }
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }
}

/// Sends sd_notify messages to `$NOTIFY_SOCKET` (a no-op when unset).
///
/// One `sendto` per message on a fresh AF_UNIX datagram socket, like
/// libsystemd's `sd_notify`. An address starting with '@' is in the
/// abstract namespace: the '@' becomes a NUL byte and the exact length is passed.
public struct SystemdNotifier: Sendable {
    /// The notification socket address, or nil when not run by systemd.
    public let socketPath: String?

    public init(socketPath: String?) {
        self.socketPath = socketPath.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Reads `NOTIFY_SOCKET` from `environment`.
    public init(environment: [String: String]) {
        self.init(socketPath: environment["NOTIFY_SOCKET"])
    }

    public var isEnabled: Bool { socketPath != nil }

    /// Sends the states as one datagram. Returns false if disabled; throws on a send error.
    @discardableResult
    public func notify(_ states: NotifyState...) throws -> Bool {
        try notify(states)
    }

    @discardableResult
    public func notify(_ states: [NotifyState]) throws -> Bool {
        guard let socketPath else { return false }
        let message = states.map(\.line).joined(separator: "\n")
        let (address, length) = try Self.address(for: socketPath)
        let fd = socket(AF_UNIX, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw MFServerError.socketSetupFailed(call: "socket", errno: errno, path: socketPath) }
        defer { close(fd) }
        var addr = address
        let sent = message.utf8CString.withUnsafeBufferPointer { bytes in
            withUnsafePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count - 1, CInt(MSG_NOSIGNAL), $0, length)
                }
            }
        }
        guard sent >= 0 else { throw MFServerError.socketSetupFailed(call: "sendto", errno: errno, path: socketPath) }
        return true
    }

    /// The `sockaddr_un` and its exact length for a NOTIFY_SOCKET value.
    static func address(for path: String) throws -> (sockaddr_un, socklen_t) {
        var bytes = Array(path.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "@") else {
            throw MFServerError.invalidConfiguration(field: "NOTIFY_SOCKET", message: "must be an absolute path or start with '@': \(path)")
        }
        let abstract = first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        var addr = sockaddr_un()
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard bytes.count < capacity else { throw MFServerError.socketPathTooLong(path) }
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        // Abstract names are length-delimited (no NUL); paths count their terminating NUL.
        let length = MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1)
        return (addr, socklen_t(length))
    }
}
