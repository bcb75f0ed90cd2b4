#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import MFProtocol

/// Where the server gets its listening socket.
public enum ListenSource: Sendable, Equatable {
    /// Bind a Unix socket at this path; the server removes the file on shutdown.
    case path(String)
    /// Adopt an already listening socket (systemd socket activation); never unlinked.
    case inherited(fd: CInt)
}

/// Creating a listening Unix socket file safely.
enum ListenSocket {
    /// Binds and listens at `path` with `mode`, returning the fd.
    ///
    /// A stale socket file is removed only if it is a socket nobody listens
    /// on. To avoid a window where the socket is reachable with the umask's
    /// mode (and without touching the process-wide umask), it is bound under
    /// a temporary name in the same directory, chmod-ed, put in `listen`, and
    /// then renamed over `path` atomically.
    static func bindListening(path: String, mode: mode_t, backlog: CInt = 256) throws -> CInt {
        guard path.utf8.count <= SocketPath.maxPathBytes else { throw MFServerError.socketPathTooLong(path) }
        try checkStale(path)
        let dirPrefix = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        let temp = dirPrefix + ".mfd-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let useTemp = temp.utf8.count <= SocketPath.maxPathBytes
        let bindPath = useTemp ? temp : path

        let fd = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw MFServerError.socketSetupFailed(call: "socket", errno: errno, path: path) }
        do {
            try bind(fd, to: bindPath)
            // Too-long temp name fallback: a brief window with the umask's mode.
            guard chmod(bindPath, mode) == 0 else { throw setupError("chmod", bindPath) }
            guard listen(fd, backlog) == 0 else { throw setupError("listen", bindPath) }
            if useTemp { guard rename(temp, path) == 0 else { throw setupError("rename", path) } }
            return fd
        } catch {
            if useTemp { unlink(temp) }
            close(fd)
            throw error
        }
    }

    /// Throws if `path` is occupied by a non-socket or a live listener; unlinks a dead socket.
    static func checkStale(_ path: String) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFSOCK else { throw MFServerError.socketPathOccupied(path) }
        let probe: CInt
        do { probe = try SocketPath.connect(path) } catch {
            guard error.call == "connect" else {
                throw MFServerError.socketSetupFailed(call: error.call, errno: error.errno, path: path)
            }
            if error.errno == ECONNREFUSED || error.errno == ENOENT { unlink(path) }
            return
        }
        close(probe)
        throw MFServerError.socketInUse(path)
    }

    static func bind(_ fd: CInt, to path: String) throws {
        let rc = SocketPath.withAddress(path) { addr, len in Glibc.bind(fd, addr, len) }
        guard rc == 0 else { throw setupError("bind", path) }
    }

    private static func setupError(_ call: String, _ path: String) -> MFServerError {
        .socketSetupFailed(call: call, errno: errno, path: path)
    }
}
