import Foundation
import GRDB

/// The durable SQLite store of mfd: ratings, users, items, models and settings.
///
/// One `Store` owns one `DatabasePool` (WAL, `synchronous=FULL`, foreign keys on,
/// single writer; its pragmas are listed in docs/store.md). Reads run concurrently with the writer; every write goes
/// through the pool's one writer connection. Thread-safe.
public final class Store: Sendable {
    /// Path of the database file.
    public let path: String
    /// Options the store was opened with.
    public let options: StoreOptions
    let pool: DatabasePool
    let committer: GroupCommitter

    private init(path: String, options: StoreOptions, pool: DatabasePool) {
        self.path = path
        self.options = options
        self.pool = pool
        self.committer = GroupCommitter(pool: pool, maxBatch: options.maxGroupCommitBatch)
    }

    /// Opens (creating if needed) and migrates the database at `path`. A new
    /// file is created 0600, or 0640 for `StoreOptions.sharedGroup`.
    ///
    /// Runs `PRAGMA quick_check` first and throws `corrupt_database` if it fails
    /// (no repair is attempted), and `schema_too_new` if the file was migrated by a
    /// newer version of mfd.
    public static func open(path: String, options: StoreOptions = StoreOptions()) throws -> Store {
        guard options.keepModels >= 1 else {
            throw MFStoreError.invalidArgument(field: "keepModels", message: "must be at least 1")
        }
        if let e = DatabaseFile.create(at: path, sharedGroup: options.sharedGroup), e != EEXIST {
            throw MFStoreError.openFailed(path: path, detail: "cannot create: \(String(cString: strerror(e)))")
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(options.busyTimeout)
        config.maximumReaderCount = max(1, options.maxReaders)
        config.label = "MFStore"
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            throw MFStoreError.corruptDatabase(path: path, detail: error.message ?? "\(error)")
        } catch {
            throw MFStoreError.openFailed(path: path, detail: "\(error)")
        }
        try prepareWriter(pool, path: path, cacheKiB: options.writerCacheKiB,
                          walCheckpointPages: options.walCheckpointPages, quickCheck: options.quickCheckAtOpen)
        return Store(path: path, options: options, pool: pool)
    }

    /// Durability pragmas, integrity check, schema version check, migrations.
    private static func prepareWriter(_ pool: DatabasePool, path: String, cacheKiB: Int,
                                      walCheckpointPages: Int, quickCheck: Bool) throws {
        do {
            try pool.writeWithoutTransaction { db in
                // GRDB sets NORMAL for WAL; an acknowledged write must survive power loss.
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA cache_size = \(-max(2048, cacheKiB))")
                // Statement journals in memory: each multi-row upsert of a group commit
                // opens one, and from 64 KiB on SQLite spilled it to a temp file, a
                // second write of every page the commit touched.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(max(1, walCheckpointPages))")
                // A big import grows the WAL to its size; truncate it back after checkpoints.
                try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
                let migrator = StoreSchema.makeMigrator()
                // Never migrate a damaged file: a pending migration forces the check.
                if try quickCheck || !migrator.hasCompletedMigrations(db) { try checkQuickly(db, path: path) }
                if try migrator.hasBeenSuperseded(db) {
                    let known = Set(StoreSchema.migrationIdentifiers)
                    let unknown = try migrator.appliedIdentifiers(db).subtracting(known).sorted()
                    throw MFStoreError.schemaTooNew(path: path, unknownMigrations: unknown)
                }
            }
            try StoreSchema.makeMigrator().migrate(pool)
        } catch let error as MFStoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            throw MFStoreError.corruptDatabase(path: path, detail: error.message ?? "\(error)")
        } catch {
            throw MFStoreError.openFailed(path: path, detail: "\(error)")
        }
    }

    /// Closes all connections. Pending group-commit writes must have returned first.
    public func close() throws {
        try MFStoreError.wrap { try pool.close() }
    }

    /// Migration identifiers this code knows, in order ("v1", "v2", …).
    public static var knownMigrations: [String] { StoreSchema.migrationIdentifiers }

    /// Migration identifiers applied to this database, in order.
    public func appliedMigrations() async throws -> [String] {
        try await MFStoreError.wrap {
            try await pool.read { db in try StoreSchema.makeMigrator().completedMigrations(db) }
        }
    }

    /// Lets SQLite free its page caches (the writer's grows to `writerCacheKiB`
    /// during a big import) and closes idle readers; they refill on use.
    /// Returns at once; the writer frees its cache after its current work.
    public func releaseMemory() { pool.releaseMemoryEventually() }

    /// Runs `PRAGMA quick_check` (reads every page) and throws `corrupt_database`
    /// unless it reports `ok`. ``open(path:options:)`` does this unless
    /// `StoreOptions.quickCheckAtOpen` is off.
    public func quickCheck() async throws {
        try await MFStoreError.wrap {
            try await pool.read { [path] db in try Self.checkQuickly(db, path: path) }
        }
    }

    private static func checkQuickly(_ db: Database, path: String) throws {
        let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
        guard check == ["ok"] else {
            throw MFStoreError.corruptDatabase(path: path, detail: check.prefix(5).joined(separator: "; "))
        }
    }

    /// Runs `PRAGMA integrity_check` (slow, full scan); returns its lines (["ok"] when healthy).
    public func integrityCheck() async throws -> [String] {
        try await MFStoreError.wrap {
            try await pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        }
    }
}
