import Foundation
import GRDB
import Testing
@testable import MFStore

@Suite struct SchemaTests {
    @Test func migratorIdentifiersAreNumberedInOrder() {
        let ids = Store.knownMigrations
        #expect(ids == (1...ids.count).map { "v\($0)" })
        #expect(StoreSchema.makeMigrator().migrations == ids)
    }

    @Test func freshDatabaseIsMigratedWithDurablePragmas() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        #expect(try await store.appliedMigrations() == Store.knownMigrations)
        let pragmas = try await store.pool.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
             try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), try Int.fetchOne(db, sql: "PRAGMA temp_store"),
             try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"))
        }
        #expect(pragmas.0 == "wal")
        #expect(pragmas.1 == 2)  // FULL
        #expect(pragmas.2 == 1)
        #expect(pragmas.3 == 2)  // MEMORY: group commits' statement journals never reach a temp file
        #expect(pragmas.4 == StoreOptions().walCheckpointPages)
        #expect(try await store.currentSequence() == 0)
    }

    @Test func refusesDatabaseFromNewerVersion() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try makeStore(dir).close()
        let pool = try DatabasePool(path: dir.file("mf.sqlite"))
        try await pool.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999')") }
        try pool.close()
        #expect(throws: MFStoreError.schemaTooNew(path: dir.file("mf.sqlite"), unknownMigrations: ["v999"])) {
            try makeStore(dir)
        }
    }

    @Test func refusesGarbageFileAsCorrupt() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("junk.sqlite", [UInt8](repeating: 0x5A, count: 8192))
        do {
            _ = try Store.open(path: path)
            Issue.record("opened a garbage file")
        } catch let error as MFStoreError {
            #expect(error.code == "corrupt_database")
        }
        // Nothing was repaired or rewritten.
        #expect(FileManager.default.contents(atPath: path) == Data([UInt8](repeating: 0x5A, count: 8192)))
    }

    @Test func refusesDamagedPagesAsCorrupt() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        try await store.addRatings((1...3000).map { Rating(user: Int64($0 % 50), item: Int64($0), value: 3) })
        try store.close()
        // Checkpoint into the main file, then overwrite the root page of the ratings b-tree
        // (an interior page at 3000 rows; a page picked by file offset can be an empty leaf
        // whose unused bytes no check reads).
        let pool = try DatabasePool(path: dir.file("mf.sqlite"))
        let root = try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            return (try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'ratings'"),
                    try Int.fetchOne(db, sql: "PRAGMA page_size"))
        }
        try pool.close()
        let (page, pageSize) = (try #require(root.0), try #require(root.1))
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: dir.file("mf.sqlite")))
        try handle.seek(toOffset: UInt64((page - 1) * pageSize))
        try handle.write(contentsOf: Data(repeating: 0xFF, count: pageSize))
        try handle.close()
        do {
            _ = try makeStore(dir)
            Issue.record("opened a damaged database")
        } catch let error as MFStoreError {
            #expect(error.code == "corrupt_database")
        }
    }
}
