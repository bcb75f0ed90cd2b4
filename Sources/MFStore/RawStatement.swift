import GRDB
import GRDBSQLite

/// A prepared statement driven with raw `sqlite3_*` calls, for the hot loops
/// (bulk import, snapshot reads) where GRDB's per-row `StatementArguments`/`Row`
/// allocations would dominate. Only valid inside the access block that made it.
struct RawStatement {
    private let statement: Statement  // keeps the sqlite3_stmt alive
    private let handle: SQLiteStatement
    private let connection: SQLiteConnection?

    /// `cached`: reuse the connection's prepared statement across transactions (hot, fixed SQL).
    init(_ db: Database, _ sql: String, cached: Bool = false) throws {
        statement = cached ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
    }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(handle, index, value) }
    func bindNull(_ index: Int32) { sqlite3_bind_null(handle, index) }
    func bind(_ index: Int32, _ value: Int64?) {
        if let value { bind(index, value) } else { bindNull(index) }
    }

    /// Steps once; true when a row is available.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let error = makeError(rc)
        sqlite3_reset(handle)
        throw error
    }

    /// Runs a statement that returns no rows, then resets it for the next bindings.
    func execute() throws {
        _ = try step()
        sqlite3_reset(handle)
    }

    func reset() { sqlite3_reset(handle) }

    var handleForBlob: SQLiteStatement { handle }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }
    func text(_ column: Int32) -> String {
        guard let cString = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: cString)
    }

    private func makeError(_ rc: Int32) -> DatabaseError {
        let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "SQLite error \(rc)"
        return DatabaseError(resultCode: ResultCode(rawValue: rc), message: message)
    }
}

extension RawStatement {
    /// Copies a BLOB column of little-endian 4-byte values into a `[Float]` (one memcpy on LE hosts:
    /// decoding to integers and mapping them made a second copy of the model while it loaded).
    func floats(_ column: Int32) -> [Float]? {
        #if _endian(big)
        return decodeLE(column, as: UInt32.self).map { $0.map(Float.init(bitPattern:)) }
        #else
        return copyBlob(column, as: Float.self)
        #endif
    }

    /// Copies a BLOB column of little-endian 8-byte values into an `[Int64]`.
    func int64s(_ column: Int32) -> [Int64]? { decodeLE(column, as: UInt64.self).map { $0.map { Int64(bitPattern: $0) } } }

    /// nil when the BLOB length is not a multiple of the element size.
    private func decodeLE<T: FixedWidthInteger>(_ column: Int32, as: T.Type) -> [T]? {
        var out = copyBlob(column, as: T.self)
        #if _endian(big)
        if out != nil { for i in out!.indices { out![i] = T(littleEndian: out![i]) } }
        #endif
        return out
    }

    /// The BLOB's bytes as `T`s, as stored; nil when its length is not a multiple of T's size.
    private func copyBlob<T>(_ column: Int32, as: T.Type) -> [T]? {
        let bytes = Int(sqlite3_column_bytes(handleForBlob, column))
        guard bytes % MemoryLayout<T>.size == 0 else { return nil }
        let count = bytes / MemoryLayout<T>.size
        guard count > 0, let base = sqlite3_column_blob(handleForBlob, column) else { return [] }
        let out = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(start: base, count: bytes))
            initialized = count
        }
        return out
    }
}

extension RawStatement {
    func bind(_ index: Int32, _ text: String) {
        sqlite3_bind_text(handle, index, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))  // SQLITE_TRANSIENT
    }

    /// Binds `bytes` without copying them (SQLITE_STATIC): they must stay valid
    /// until the statement has run and `clearBindings()` was called.
    func bindStatic(_ index: Int32, blob bytes: UnsafeRawBufferPointer) {
        sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), nil)
    }

    func clearBindings() { sqlite3_clear_bindings(handle) }
}
