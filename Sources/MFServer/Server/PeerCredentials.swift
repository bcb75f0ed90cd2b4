#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import MFProtocol
import NIOCore

/// Who is on the other end of a Unix-socket connection.
///
/// `pid`, `uid` and `gid` come from `SO_PEERCRED`: the kernel records them
/// when the peer called `connect()`, so they cannot be forged. The kernel does
/// not report supplementary groups; those are read from `/proc/PID/status`
/// right after accept (see `supplementaryGroups(ofPID:)` for the race).
public struct PeerCredentials: Sendable, Equatable, CustomStringConvertible {
    public var pid: pid_t
    public var uid: uid_t
    /// Effective primary gid at connect time (from `SO_PEERCRED`).
    public var gid: gid_t
    /// Supplementary groups from `/proc/PID/status`; empty if unreadable.
    public var supplementaryGroups: [gid_t]

    public init(pid: pid_t, uid: uid_t, gid: gid_t, supplementaryGroups: [gid_t] = []) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
        self.supplementaryGroups = supplementaryGroups
    }

    /// True if `gid` is the primary or a supplementary group.
    public func isMember(of gid: gid_t) -> Bool {
        self.gid == gid || supplementaryGroups.contains(gid)
    }

    public var description: String { "pid=\(pid) uid=\(uid) gid=\(gid)" }
}

extension PeerCredentials {
    /// Reads `SO_PEERCRED` from a connected Unix-socket channel, plus groups
    /// when `withGroups` is set. Completes inline when called on the channel's loop.
    public static func of(_ channel: any Channel, withGroups: Bool) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(MFServerError.peerCredentialsUnavailable("channel has no socket"))
        }
        let cred: EventLoopFuture<LinuxUcred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(LinuxUcred.socketOption))
        return cred.map { c in
            PeerCredentials(
                pid: c.pid, uid: c.uid, gid: c.gid,
                supplementaryGroups: withGroups ? supplementaryGroups(ofPID: c.pid, expectedUID: c.uid) : [])
        }
    }

    /// Supplementary groups of `pid`, read from `/proc/PID/status`.
    ///
    /// Race: the peer may exit (or its pid be reused) between `connect()` and
    /// this read. A vanished process yields no groups (deny-side safe); a
    /// reused pid is detected when the `Uid:` line's real uid differs from the
    /// `SO_PEERCRED` uid, which also yields no groups. Group changes after
    /// connect are not seen.
    public static func supplementaryGroups(ofPID pid: pid_t, expectedUID: uid_t) -> [gid_t] {
        guard pid > 0, let text = readSmallFile("/proc/\(pid)/status") else { return [] }
        return parseProcStatusGroups(text, expectedUID: expectedUID) ?? []
    }

    /// Parses the `Groups:` line of a `/proc/PID/status` text; nil when the
    /// `Uid:` line is missing or names another user.
    static func parseProcStatusGroups(_ text: String, expectedUID: uid_t) -> [gid_t]? {
        var uidMatches = false
        var groups: [gid_t] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Uid:") {
                let fields = line.dropFirst(4).split(whereSeparator: { $0 == " " || $0 == "\t" })
                uidMatches = fields.first.flatMap { uid_t($0) } == expectedUID
            } else if line.hasPrefix("Groups:") {
                groups = line.dropFirst(7).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { gid_t($0) }
            }
        }
        return uidMatches ? groups : nil
    }
}

/// Reads a small text file (procfs) with plain syscalls; nil on any error.
func readSmallFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n >= 0 else { return nil }
        if n == 0 { break }
        bytes += chunk[0..<n]
        if bytes.count > 1 << 20 { return nil }
    }
    return String(decoding: bytes, as: UTF8.self)
}
