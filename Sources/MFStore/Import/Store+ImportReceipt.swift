import Foundation
import GRDB

extension Store {
    /// Receipts kept: the newest this many imports can be asked about.
    public static let importReceiptsKept = 16

    /// The receipt an import stored with ``ImportOptions/receipt`` under
    /// `name`, or nil: it did not commit, or it is older than the newest
    /// ``importReceiptsKept``.
    public func importReceipt(_ name: String) async throws -> String? {
        try await setting(Self.receiptKey(name)).map { v in v.firstIndex(of: " ").map { String(v[v.index(after: $0)...]) } ?? v }
    }

    static func receiptKey(_ name: String) -> String { "import_receipt:" + name }

    /// Replaces the text of a stored receipt, keeping its place among the kept
    /// ones; false when there is none (it was never stored, or dropped).
    @discardableResult
    public func updateImportReceipt(_ name: String, text: String) async throws -> Bool {
        try await MFStoreError.wrap {
            try await pool.write { db in
                try db.execute(sql: "UPDATE settings SET value = substr(value, 1, instr(value, ' ')) || ? WHERE key = ?",
                               arguments: [text, Self.receiptKey(name)])
                return db.changesCount > 0
            }
        }
    }

    /// Writes a receipt inside the import's transaction and drops all but the newest receipts.
    static func storeReceipt(_ db: Database, name: String, text: String) throws {
        let seq = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(CAST(substr(value, 1, instr(value, ' ') - 1) AS INTEGER)), 0) FROM settings WHERE key LIKE 'import_receipt:%'") ?? 0
        // "N text": N orders the receipts without a column for it.
        try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                       arguments: [receiptKey(name), "\(seq + 1) " + text])
        try db.execute(sql: """
            DELETE FROM settings WHERE key LIKE 'import_receipt:%' AND CAST(substr(value, 1, instr(value, ' ') - 1) AS INTEGER) <= ?
            """, arguments: [seq + 1 - Int64(importReceiptsKept)])
    }
}
