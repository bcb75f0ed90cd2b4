import Foundation
import GRDB

extension Store {
    /// Writes a consistent copy of the database to `destination` with SQLite's
    /// online backup API while reads and writes continue. Never overwrites:
    /// throws `backup_destination_exists` if the path exists.
    public func backup(to destination: String) async throws {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw MFStoreError.backupDestinationExists(path: destination)
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
