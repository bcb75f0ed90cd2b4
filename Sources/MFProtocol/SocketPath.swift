/// Where the daemon's socket lives; shared by mfd (binding) and mfctl (connecting).
public enum SocketPath {
    /// The systemd unit's socket.
    public static let system = "/run/mfd/mfd.sock"

    /// mfd's default when run by hand: `$XDG_RUNTIME_DIR/mfd/mfd.sock`, else `/tmp/mfd-$UID/mfd.sock`.
    public static func handRunDefault(environment: [String: String], uid: UInt32) -> String {
        if let xdg = environment["XDG_RUNTIME_DIR"], !xdg.isEmpty { return PathText.appending("mfd/mfd.sock", to: xdg) }
        return "/tmp/mfd-\(uid)/mfd.sock"
    }

    /// mfd's socket: `$MFD_SOCKET`, `$RUNTIME_DIRECTORY/mfd.sock` (systemd), else the hand-run default.
    public static func daemonDefault(environment: [String: String], uid: UInt32) -> String {
        if let s = environment["MFD_SOCKET"], !s.isEmpty { return s }
        if let r = environment["RUNTIME_DIRECTORY"], !r.isEmpty {
            // systemd may list several directories separated by ':'; the first is ours.
            return PathText.appending("mfd.sock", to: String(r.split(separator: ":").first ?? Substring(r)))
        }
        return handRunDefault(environment: environment, uid: uid)
    }

    /// mfctl's socket: `--socket`, `$MFD_SOCKET`, `/run/mfd/mfd.sock` if it exists, else the hand-run default.
    public static func clientResolve(explicit: String?, environment: [String: String], uid: UInt32,
                                     exists: (String) -> Bool) -> String {
        if let e = explicit, !e.isEmpty { return e }
        if let s = environment["MFD_SOCKET"], !s.isEmpty { return s }
        if exists(system) { return system }
        return handRunDefault(environment: environment, uid: uid)
    }
}
