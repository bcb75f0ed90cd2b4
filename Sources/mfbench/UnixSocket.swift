import Foundation
import MFProtocol
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
        do { return try SocketPath.connect(path) } catch { throw Failure(description: error.description) }
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
