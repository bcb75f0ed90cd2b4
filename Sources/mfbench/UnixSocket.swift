import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The Unix-socket plumbing shared by mfbench's clients
/// (`ServeConnection`, `OpenLoopConnection`, `RelClient`).
enum UnixSocket {
    /// Any mfbench client failure, with a message for the report.
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// A connected stream socket to `path`; the descriptor is closed on failure.
    static func connect(path: String) throws -> CInt {
        let fd = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            Glibc.close(fd)
            throw Failure(description: "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1))
            }
        }
        guard rc == 0 else {
            let e = errno
            Glibc.close(fd)
            throw Failure(description: "connect \(path): \(String(cString: strerror(e)))")
        }
        return fd
    }

    /// Writes all of `bytes`; a socket that would block is an error here.
    static func send(_ fd: CInt, _ bytes: [UInt8]) throws {
        guard try write(fd, bytes[...]) == bytes.count else {
            throw Failure(description: "send: \(String(cString: strerror(EAGAIN)))")
        }
    }

    /// Writes `bytes` until done or, on a nonblocking socket, until it would block;
    /// returns how many were written. Retries on EINTR; MSG_NOSIGNAL so a closed
    /// peer is an error, not SIGPIPE.
    static func write(_ fd: CInt, _ bytes: ArraySlice<UInt8>) throws -> Int {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, CInt(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                throw Failure(description: "send: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        return offset - bytes.startIndex
    }
}
