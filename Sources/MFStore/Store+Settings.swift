import GRDB

extension Store {
    /// The value stored under `key` (e.g. persisted training configuration as JSON), or nil.
    public func setting(_ key: String) async throws -> String? {
        try await MFStoreError.wrap {
            try await pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) }
        }
    }

    /// Stores `value` under `key` (nil deletes it). One transaction.
    public func setSetting(_ key: String, _ value: String?) async throws {
        guard !key.isEmpty else { throw MFStoreError.invalidArgument(field: "key", message: "setting key is empty") }
        try await MFStoreError.wrap {
            try await pool.write { db in
                if let value {
                    try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", arguments: [key, value])
                } else {
                    try db.execute(sql: "DELETE FROM settings WHERE key = ?", arguments: [key])
                }
            }
        }
    }

    /// All settings.
    public func allSettings() async throws -> [String: String] {
        try await MFStoreError.wrap {
            try await pool.read { db in
                var result: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT key, value FROM settings") { result[row[0]] = row[1] }
                return result
            }
        }
    }
}
