#if canImport(Glibc)
import Glibc
#endif

/// A failed socket call: which call, on which path, and its `errno`.
public struct SocketCallFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let call: String
    public let path: String
    public let errno: CInt

    public init(call: String, path: String, errno: CInt) {
        self.call = call; self.path = path; self.errno = errno
    }

    public var description: String { "\(call) \(path): \(String(cString: strerror(errno)))" }
}

/// Unix-socket addresses and connects, for the daemon, mfbench and the tests.
extension SocketPath {
    /// The longest socket path in bytes: `sun_path` less its terminating NUL (107 on Linux).
    public static let maxPathBytes = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// Calls `body` with a `sockaddr_un` for `path` and its exact length
    /// (family + path + NUL); nil, without calling it, when `path` is longer than `maxPathBytes`.
    public static func withAddress<R>(_ path: String,
                                      _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R? {
        let bytes = Array(path.utf8)
        guard bytes.count <= maxPathBytes else { return nil }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
        return try withUnsafePointer(to: &addr) { p in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
        }
    }

    /// A blocking, close-on-exec stream socket connected to `path`. On failure
    /// nothing is left open; a path that is too long fails as `connect` with `ENAMETOOLONG`.
    public static func connect(_ path: String) throws(SocketCallFailure) -> CInt {
        let fd = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketCallFailure(call: "socket", path: path, errno: errno) }
        let rc = withAddress(path) { Glibc.connect(fd, $0, $1) }
        guard rc == 0 else {
            let e = rc == nil ? ENAMETOOLONG : errno
            close(fd)
            throw SocketCallFailure(call: "connect", path: path, errno: e)
        }
        return fd
    }
}
