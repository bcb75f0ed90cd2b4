import MFProtocol
import NIOCore

/// Errors the socket server itself reports on the wire, before or around
/// the request handler: framing limits, connection limits, timeouts.
public enum ServerErrorKind: Sendable, Equatable {
    /// A request line exceeded the configured maximum; the connection closes.
    case lineTooLong(limit: Int)
    /// The connection limit was reached; the new connection closes.
    case tooManyConnections(limit: Int)
    /// The peer's uid holds its share of the connections; the new connection closes.
    case tooManyConnectionsForUID(uid: UInt32, limit: Int)
    /// The peer may not perform an operation of this access class.
    case permissionDenied(AccessClass)
    /// A partial line (or an idle connection) outlived its timeout; the connection closes.
    case timeout(seconds: Double)
    /// The handler's future failed; the request got no proper answer.
    case internalError

    /// The MFProtocol error code this is answered with.
    public var wireCode: ErrorCode {
        switch self {
        case .lineTooLong: .lineTooLong
        case .tooManyConnections, .tooManyConnectionsForUID: .tooManyConnections
        case .permissionDenied: .permissionDenied
        case .timeout: .timeout
        case .internalError: .internalError
        }
    }

    /// Stable snake_case wire code.
    public var code: String { wireCode.rawValue }

    /// Human-readable message for the wire and the log.
    public var message: String {
        switch self {
        case .lineTooLong(let limit): "request line longer than \(limit) bytes; closing connection"
        case .tooManyConnections(let limit): "too many connections (limit \(limit)); try again later"
        case .tooManyConnectionsForUID(let uid, let limit):
            "uid \(uid) already holds \(limit) connections, the most one user may; close one and try again"
        case .permissionDenied(let cls): "permission denied: this peer may not perform \(cls.rawValue) operations"
        case .timeout(let s): "no complete request line within \(s) s; closing connection"
        case .internalError: "internal error while handling the request"
        }
    }
}

/// Encodes a server-level error as one response line (no newline).
///
/// Injected into the server so these few replies can switch to MFProtocol's
/// types in one place. `id` is the request's id as raw JSON, or nil for `null`.
public struct ErrorLineEncoder: Sendable {
    public let encode: @Sendable (_ kind: ServerErrorKind, _ id: String?, _ allocator: ByteBufferAllocator) -> ByteBuffer

    public init(encode: @escaping @Sendable (ServerErrorKind, String?, ByteBufferAllocator) -> ByteBuffer) {
        self.encode = encode
    }

    /// The spec's wire shape, written by MFProtocol's `ResponseEncoder`:
    /// `{"id":null,"ok":false,"error":{"code":"…","message":"…"}}`.
    public static let json = ErrorLineEncoder { kind, id, allocator in
        var bytes = ResponseEncoder().failure(id: .null, WireError(kind.wireCode, kind.message))
        bytes.removeLast()  // the server adds the newline
        if let id {
            let prefix = Array(#"{"id":null"#.utf8)
            bytes = Array(#"{"id":"#.utf8) + Array(id.utf8) + bytes.dropFirst(prefix.count)
        }
        var buffer = allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return buffer
    }
}

/// A JSON string literal for `s` (quotes, backslashes and control characters escaped).
func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                + String(scalar.value, radix: 16)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
