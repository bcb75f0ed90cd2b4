#if canImport(Glibc)
import Glibc
#endif
import Logging
import MFProtocol

/// Who may use each access class. Pure value; `allows` does no I/O.
///
/// A peer holds a class if its uid or its primary/supplementary gid is
/// granted that class or a higher one (admin ⊇ write ⊇ read).
public struct AccessPolicy: Sendable, Equatable {
    /// UIDs and GIDs granted one class.
    public struct Grant: Sendable, Equatable {
        /// Everyone who can open the socket holds the class.
        public var everyone: Bool
        public var uids: Set<uid_t>
        public var gids: Set<gid_t>

        public init(everyone: Bool = false, uids: Set<uid_t> = [], gids: Set<gid_t> = []) {
            self.everyone = everyone
            self.uids = uids
            self.gids = gids
        }

        func matches(_ peer: PeerCredentials) -> Bool {
            everyone || uids.contains(peer.uid) || gids.contains(peer.gid)
                || peer.supplementaryGroups.contains(where: gids.contains)
        }
    }

    public var read: Grant
    public var write: Grant
    public var admin: Grant

    public init(read: Grant, write: Grant, admin: Grant) {
        self.read = read
        self.write = write
        self.admin = admin
    }

    /// The default: read for anyone who can open the socket; write and admin
    /// for root, the daemon's own uid, and `group` when given.
    public static func standard(daemonUID: uid_t, group: gid_t? = nil) -> AccessPolicy {
        let owners = Grant(uids: [0, daemonUID], gids: group.map { [$0] } ?? [])
        return AccessPolicy(read: Grant(everyone: true), write: owners, admin: owners)
    }

    public func grant(for accessClass: AccessClass) -> Grant {
        switch accessClass {
        case .read: read
        case .write: write
        case .admin: admin
        }
    }

    /// True if `peer` may perform operations of `accessClass`.
    public func allows(_ peer: PeerCredentials, _ accessClass: AccessClass) -> Bool {
        AccessClass.allCases.contains { $0 >= accessClass && grant(for: $0).matches(peer) }
    }

    /// `allows`, logging a denial with the peer's uid and pid.
    public func check(_ peer: PeerCredentials, _ accessClass: AccessClass, op: String, logger: Logger) -> Bool {
        if allows(peer, accessClass) { return true }
        logger.warning("permission denied", metadata: [
            "op": "\(op)", "class": "\(accessClass.rawValue)",
            "peer_uid": "\(peer.uid)", "peer_gid": "\(peer.gid)", "peer_pid": "\(peer.pid)",
        ])
        return false
    }
}

extension AccessPolicy: CustomStringConvertible {
    /// One-line summary for the startup log, e.g. `read=everyone write=uid:0,990 admin=uid:0,990 gid:4000`.
    public var description: String {
        AccessClass.allCases.map { cls in
            let g = grant(for: cls)
            var parts: [String] = []
            if g.everyone { parts.append("everyone") }
            if !g.uids.isEmpty { parts.append("uid:" + g.uids.sorted().map(String.init).joined(separator: ",")) }
            if !g.gids.isEmpty { parts.append("gid:" + g.gids.sorted().map(String.init).joined(separator: ",")) }
            return "\(cls.rawValue)=" + (parts.isEmpty ? "none" : parts.joined(separator: " "))
        }.joined(separator: " ")
    }
}
