import Foundation
import GRDB

extension Store {
    /// Writes a consistent copy of the database to `destination` with SQLite's
    /// online backup API while reads and writes continue. Never overwrites:
    /// throws `backup_destination_exists` if the path exists. The copy is
    /// created with the mode of a new database (``StoreOptions/sharedGroup``).
    public func backup(to destination: String) async throws {
        if let e = DatabaseFile.create(at: destination, sharedGroup: options.sharedGroup) {
            throw e == EEXIST ? MFStoreError.backupDestinationExists(path: destination)
                : MFStoreError.ioError(path: destination, detail: "cannot create: \(String(cString: strerror(e)))")
        }
        try await MFStoreError.wrap {
            let target = try DatabaseQueue(path: destination)
            // Copies from one read transaction, on GRDB's reader thread (not the cooperative pool).
            try await pool.read { source in
                try target.writeWithoutTransaction { destination in try source.backup(to: destination) }
            }
            try target.close()
        }
    }
}
