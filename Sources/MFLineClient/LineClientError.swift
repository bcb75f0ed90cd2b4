#if canImport(Glibc)
import Glibc
#endif

/// Why a line client call failed: a stable code and a message for the report.
public struct LineClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// `socket`/`connect` failed (the message has the path and errno).
        case connect
        /// `send`/`recv` failed, or a nonblocking socket would have blocked on a full write.
        case io
        /// No complete line within the deadline.
        case timedOut = "timed_out"
        /// The peer closed the connection where a reply was due.
        case closed
        /// A reply that is not a JSON object, a line over the limit, or an error reply where success was required.
        case badReply = "bad_reply"
    }

    public let code: Code
    public let message: String
    /// The `errno` of a failed system call (0 otherwise).
    public let errno: CInt

    public init(_ code: Code, _ message: String, errno: CInt = 0) {
        self.code = code; self.message = message; self.errno = errno
    }

    /// `call` failed with the current `errno`.
    static func system(_ code: Code, _ call: String) -> LineClientError {
        let e = Glibc.errno
        return LineClientError(code, "\(call): \(String(cString: strerror(e)))", errno: e)
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
