import GRDBSQLite

extension Store {
    /// The longest database path SQLite opens, in bytes, counted once made absolute
    /// (the default VFS's `mxPathname`: 512 on Unix). A longer one fails to open.
    public static var maxPathBytes: Int { Int(sqlite3_vfs_find(nil)?.pointee.mxPathname ?? 512) }
}
