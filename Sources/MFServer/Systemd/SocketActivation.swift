#if canImport(Glibc)
import Glibc
#endif

/// One socket passed by systemd (`LISTEN_FDS`), with its `FileDescriptorName=`.
public struct ActivatedSocket: Sendable, Equatable {
    public var fd: CInt
    public var name: String?
}

/// systemd socket activation: `LISTEN_PID`, `LISTEN_FDS`, `LISTEN_FDNAMES`.
public enum SocketActivation {
    /// The first passed descriptor (`SD_LISTEN_FDS_START`).
    public static let firstFD: CInt = 3

    /// Parses the variables. Returns [] when they are absent or meant for
    /// another process (`LISTEN_PID` ≠ `pid`); throws when they are malformed.
    public static func parse(environment env: [String: String], pid: pid_t) throws -> [ActivatedSocket] {
        guard let pidText = env["LISTEN_PID"], let countText = env["LISTEN_FDS"] else { return [] }
        guard let listenPID = pid_t(pidText), listenPID > 0 else {
            throw MFServerError.invalidSocketActivation("LISTEN_PID is not a process id: '\(pidText)'")
        }
        guard listenPID == pid else { return [] }
        guard let count = Int(countText), count >= 0, count <= 1024 else {
            throw MFServerError.invalidSocketActivation("LISTEN_FDS is not a descriptor count: '\(countText)'")
        }
        var names: [String?] = Array(repeating: nil, count: count)
        if let namesText = env["LISTEN_FDNAMES"] {
            let parts = namesText.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == count else {
                throw MFServerError.invalidSocketActivation(
                    "LISTEN_FDNAMES has \(parts.count) names for \(count) descriptors")
            }
            names = parts.map { $0.isEmpty ? nil : $0 }
        }
        return (0..<count).map { ActivatedSocket(fd: firstFD + CInt($0), name: names[$0]) }
    }

    /// Takes the sockets passed to this process: parses the real environment,
    /// marks the descriptors close-on-exec, and unsets the variables so that
    /// children do not inherit them. Call once, early, before starting threads
    /// that read the environment.
    public static func adoptFromEnvironment(_ env: [String: String]) throws -> [ActivatedSocket] {
        let sockets = try parse(environment: env, pid: getpid())
        for name in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] { unsetenv(name) }
        for socket in sockets {
            let flags = fcntl(socket.fd, F_GETFD)
            guard flags >= 0 else {
                throw MFServerError.invalidSocketActivation("descriptor \(socket.fd) is not open")
            }
            _ = fcntl(socket.fd, F_SETFD, flags | FD_CLOEXEC)
        }
        return sockets
    }

    /// Picks the socket to serve: the one named `preferredName`, else the only
    /// one. Throws when several are passed and none has that name.
    public static func select(_ sockets: [ActivatedSocket], preferredName: String = "mfd") throws -> ActivatedSocket? {
        if sockets.count <= 1 { return sockets.first }
        if let named = sockets.first(where: { $0.name == preferredName }) { return named }
        throw MFServerError.invalidSocketActivation(
            "\(sockets.count) sockets passed and none is named '\(preferredName)' (FileDescriptorName=)")
    }
}
