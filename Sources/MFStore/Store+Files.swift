import GRDBSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Store {
    /// The longest database path SQLite opens, in bytes, counted once made absolute
    /// (the default VFS's `mxPathname`: 512 on Unix). A longer one fails to open.
    public static var maxPathBytes: Int { Int(sqlite3_vfs_find(nil)?.pointee.mxPathname ?? 512) }
}

/// Database files created before SQLite opens them, with the mode mfd wants.
enum DatabaseFile {
    /// Creates `path` empty, readable by its owner only (0600), or also by
    /// `sharedGroup` (0640) when the new file belongs to that group (the
    /// process's group, or the directory's if it is setgid). SQLite would create
    /// it with the umask's mode, 0644 under the usual 022; it then creates the
    /// `-wal` and `-shm` files with this file's mode. The umask still applies.
    ///
    /// Returns nil once created, else the `errno` of the failure (`EEXIST`
    /// when something exists at `path`, which is left as it is).
    static func create(at path: String, sharedGroup: gid_t?) -> CInt? {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, sharedGroup == nil ? 0o600 : 0o640)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        var st = stat()
        if let group = sharedGroup, fstat(fd, &st) != 0 || st.st_gid != group {
            guard fchmod(fd, 0o600) == 0 else {
                let e = errno
                unlink(path)
                return e
            }
        }
        return nil
    }
}
