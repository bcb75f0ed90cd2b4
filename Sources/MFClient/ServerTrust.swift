#if canImport(Glibc)
import Glibc
#endif
import MFProtocol
import NIOCore

/// Whom a client will talk to: a daemon run by root, by the `mfd` system
/// user, or by the caller. Anyone may create `/tmp/mfd-0` first and listen
/// there; without this check root's `mfctl import ratings /root/secret.csv`
/// would stream the file to that listener. Checked twice: the socket's
/// directory before connecting (as mfd checks it before binding), and the
/// kernel's record of who listens (`SO_PEERCRED`) after.
public struct ServerTrust: Sendable, Equatable {
    /// Users whose daemons and directories are trusted.
    public var uids: Set<uid_t>

    public init(uids: Set<uid_t>) { self.uids = uids }

    /// Root, the `mfd` system user (when it exists) and the calling user.
    public static var standard: ServerTrust {
        var uids: Set<uid_t> = [0, getuid()]
        if let pw = getpwnam("mfd") { uids.insert(pw.pointee.pw_uid) }
        return ServerTrust(uids: uids)
    }

    /// Why the socket at `path` must not be used, or nil. The directory must
    /// belong to a trusted user and not be writable by others, except a
    /// sticky one such as `/tmp`, where only the socket's owner could have
    /// put it: then the socket itself must belong to a trusted user.
    public func refusal(socketPath path: String) -> String? {
        let dir = PathText.directory(of: path)
        var st = stat()
        guard lstat(dir, &st) == 0 else { return nil }  // connecting will say what is missing
        guard uids.contains(st.st_uid) else { return "its directory \(dir) belongs to uid \(st.st_uid)" }
        if st.st_mode & S_IWOTH != 0 {
            guard st.st_mode & S_ISVTX != 0 else { return "its directory \(dir) is writable by everyone" }
            var sock = stat()
            if lstat(path, &sock) == 0, !uids.contains(sock.st_uid) { return "it belongs to uid \(sock.st_uid)" }
        }
        return nil
    }

    /// Why the daemon listening as `uid` must not be used, or nil.
    public func refusal(peerUID uid: uid_t) -> String? {
        uids.contains(uid) ? nil : "the server on it runs as uid \(uid)"
    }
}

extension Channel {
    /// The uid of the process at the other end (`SO_PEERCRED`).
    func peerUID() -> EventLoopFuture<uid_t> {
        guard let provider = self as? any SocketOptionProvider else {
            return eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        let cred: EventLoopFuture<LinuxUcred> = provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET),
                                                                               name: SocketOptionName(LinuxUcred.socketOption))
        return cred.map(\.uid)
    }
}
