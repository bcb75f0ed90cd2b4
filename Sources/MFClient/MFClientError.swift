import MFProtocol

/// MFClient's one error type. `exitCode` is mfctl's exit status for it.
public enum MFClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The socket could not be reached; `reason` is the errno text ("No such file or directory").
    case unreachable(path: String, reason: String)
    /// mfd sent nothing (no reply, no progress line) for the timeout while a request
    /// awaited its reply; the connection is closed (later responses would be out of step).
    case timeout(seconds: Double)
    /// The connection ended (`cause`: a timeout or a close) while a long operation
    /// was under way in mfd, which goes on without the client: `job` is the import
    /// token or training job that `import_status` / `train_status` (`mfctl job`) follow.
    indirect case unsettled(job: String, cause: MFClientError)
    /// The daemon answered with an error.
    case daemon(WireError)
    /// The connection closed before the answer came.
    case connectionClosed
    /// The daemon sent something that is not a valid response.
    case badResponse(String)
    /// A local file could not be read or written (import/export).
    case localFile(path: String, reason: String)
    /// The socket or the server behind it belongs to someone the client does not trust (`ServerTrust`).
    case untrusted(path: String, reason: String)

    public var code: String {
        switch self {
        case .unreachable: return "unreachable"
        case .timeout: return "timeout"
        case .unsettled(_, let cause): return cause.code
        case .daemon(let e): return e.code.rawValue
        case .connectionClosed: return "connection_closed"
        case .badResponse: return "bad_response"
        case .localFile: return "local_file"
        case .untrusted: return "untrusted_server"
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .unreachable, .connectionClosed, .untrusted: return ExitCode.unreachable
        case .timeout: return ExitCode.timeout
        case .unsettled(_, let cause): return cause.exitCode
        case .daemon(let e): return e.code.exitCode
        case .badResponse: return ExitCode.daemonError
        case .localFile: return ExitCode.usage
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let path, let reason):
            return "cannot connect to \(path) (\(reason)): is mfd running? try `systemctl status mfd`"
        case .timeout(let s): return "no answer from mfd within \(s) s: it sent nothing for that long"
        case .unsettled(let job, let cause):
            let what = job.hasPrefix("imp-") || job.hasPrefix("mod-") ? "import \(job)" : "job \(job)"
            return "\(cause.description) while \(what) was under way; it goes on in mfd, "
                + "and `mfctl job \(job)` tells how it ends (it may well succeed)"
        case .daemon(let e): return e.field.map { "\(e.code.rawValue): \(e.message) (\($0))" } ?? "\(e.code.rawValue): \(e.message)"
        case .connectionClosed: return "mfd closed the connection"
        case .badResponse(let m): return "bad response from mfd: \(m)"
        case .localFile(let path, let reason): return "\(path): \(reason)"
        case .untrusted(let path, let reason):
            return "refusing \(path): \(reason), not root, mfd or you; set MFD_SOCKET or --socket to your mfd's socket"
        }
    }
}
