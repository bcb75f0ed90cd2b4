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
            try await pool.read { _ in }  // surfaces a closed pool as an error before the copy
            try pool.backup(to: target)
            try target.close()
        }
    }
}
