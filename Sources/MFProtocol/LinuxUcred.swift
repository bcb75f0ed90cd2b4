/// Layout of Linux `struct ucred`, what `getsockopt(SOL_SOCKET, SO_PEERCRED)`
/// fills in on a Unix socket: the process at the other end as the kernel
/// recorded it at `connect()`/`listen()`. Declared here because Glibc hides
/// it behind `_GNU_SOURCE`; the daemon reads its clients', clients their daemon's.
public struct LinuxUcred: Sendable, Equatable {
    public var pid: Int32 = 0
    public var uid: UInt32 = 0
    public var gid: UInt32 = 0

    public init() {}

    /// Linux `SO_PEERCRED` (17 on every architecture Swift supports on Linux).
    public static let socketOption: Int32 = 17
}
