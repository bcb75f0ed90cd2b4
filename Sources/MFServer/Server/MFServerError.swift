/// Errors of the MFServer module, each with a stable snake_case code.
public enum MFServerError: Error, Equatable, CustomStringConvertible {
    /// The socket path is longer than `sun_path` allows.
    case socketPathTooLong(String)
    /// Another process is listening on the socket path.
    case socketInUse(String)
    /// Something that is not a socket exists at the socket path.
    case socketPathOccupied(String)
    /// A socket system call failed.
    case socketSetupFailed(call: String, errno: Int32, path: String)
    /// `SO_PEERCRED` could not be read.
    case peerCredentialsUnavailable(String)
    /// A configuration value could not be parsed; `field` names the flag or variable.
    case invalidConfiguration(field: String, message: String)
    /// `LISTEN_FDS`/`LISTEN_PID`/`LISTEN_FDNAMES` are inconsistent.
    case invalidSocketActivation(String)
    /// A directory for the socket, the database or import spool files could not be created or is unsafe.
    case directoryUnusable(path: String, reason: String)

    public var code: String {
        switch self {
        case .socketPathTooLong: "socket_path_too_long"
        case .socketInUse: "socket_in_use"
        case .socketPathOccupied: "socket_path_occupied"
        case .socketSetupFailed: "socket_setup_failed"
        case .peerCredentialsUnavailable: "peer_credentials_unavailable"
        case .invalidConfiguration: "invalid_configuration"
        case .invalidSocketActivation: "invalid_socket_activation"
        case .directoryUnusable: "directory_unusable"
        }
    }

    public var description: String {
        switch self {
        case .socketPathTooLong(let p): "\(code): socket path is longer than 107 bytes: \(p)"
        case .socketInUse(let p): "\(code): another process is already listening on \(p)"
        case .socketPathOccupied(let p): "\(code): \(p) exists and is not a socket; refusing to replace it"
        case .socketSetupFailed(let call, let e, let p): "\(code): \(call) failed for \(p): \(String(cString: strerror(e)))"
        case .peerCredentialsUnavailable(let m): "\(code): \(m)"
        case .invalidConfiguration(let f, let m): "\(code): \(f): \(m)"
        case .invalidSocketActivation(let m): "\(code): \(m)"
        case .directoryUnusable(let p, let r): "\(code): \(p): \(r)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
