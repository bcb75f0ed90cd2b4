import Foundation
import MFProtocol
import MFServer

/// The daemon's default database location (the socket's is `SocketPath` in MFProtocol).
///
/// Under systemd the unit's `StateDirectory=` wins; a hand-run daemon uses
/// the XDG data directory, then `$HOME/.local/share`.
public enum DefaultPaths {
    /// `$STATE_DIRECTORY/mfd.sqlite`, else `$XDG_DATA_HOME/mfd/mfd.sqlite`,
    /// else `$HOME/.local/share/mfd/mfd.sqlite`, else `./mfd.sqlite`.
    public static func databasePath(environment env: [String: String]) -> String {
        if let dir = firstDirectory(env["STATE_DIRECTORY"]) { return dir + "/mfd.sqlite" }
        if let dir = nonEmpty(env["XDG_DATA_HOME"]) { return dir + "/mfd/mfd.sqlite" }
        if let home = nonEmpty(env["HOME"]) { return home + "/.local/share/mfd/mfd.sqlite" }
        return "mfd.sqlite"
    }

    /// systemd passes several directories colon-separated; the first is ours.
    private static func firstDirectory(_ value: String?) -> String? {
        nonEmpty(value?.split(separator: ":").first.map(String.init))
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value.hasSuffix("/") && value.count > 1 ? String(value.dropLast()) : value
    }
}

extension DefaultPaths {
    /// Creates the parent directory of `path` (mode `mode`) if missing. An
    /// existing directory under /tmp must be ours and not a symlink, so
    /// another user cannot pre-create it. A relative path's parent is
    /// relative to the working directory ("." for a bare file name).
    public static func ensureParentDirectory(of path: String, mode: Int = 0o700) throws {
        let parent = PathText.directory(of: path)
        var st = stat()
        if lstat(parent, &st) != 0 {
            do {
                try FileManager.default.createDirectory(
                    atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
            } catch {
                throw MFServerError.directoryUnusable(path: parent, reason: "cannot create: \(error.localizedDescription)")
            }
            return
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw MFServerError.directoryUnusable(path: parent, reason: "exists and is not a directory")
        }
        if parent.hasPrefix("/tmp/"), st.st_uid != getuid() {
            throw MFServerError.directoryUnusable(path: parent, reason: "owned by uid \(st.st_uid), not by us")
        }
    }
}
