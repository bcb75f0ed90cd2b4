import Foundation
import GRDB
import Testing
@testable import MFStore

/// Upgrades from every layout a released version could have left, built from the frozen
/// SQL in SchemaHistory (not from the current migrations, which could have been edited).
extension SchemaTests {
    @Test func everyKnownMigrationHasFrozenSQL() {
        #expect(SchemaHistory.landed.map(\.id) == Store.knownMigrations)
    }

    /// The current migrator, run up to vN on an empty database, gives exactly the layout
    /// of the frozen SQL up to vN: a landed migration has not been edited.
    @Test(arguments: Store.knownMigrations)
    func migrationMatchesItsLandedSQL(_ version: String) async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let current = try DatabasePool(path: dir.file("current.sqlite"))
        try StoreSchema.makeMigrator().migrate(current, upTo: version)
        let currentSchema = try await schemaDump(current)
        try current.close()
        let count = try #require(SchemaHistory.landed.firstIndex { $0.id == version }) + 1
        let frozen = HistoricSchema(name: version, steps: Array(SchemaHistory.landed.prefix(count)))
        try frozen.create(at: dir.file("frozen.sqlite"))
        let frozenPool = try DatabasePool(path: dir.file("frozen.sqlite"))
        #expect(currentSchema == (try await schemaDump(frozenPool)))
        try frozenPool.close()
    }

    /// A database of each historic layout, with rows in every table, opens with the current
    /// Store: all migrations applied, every row and the change sequence kept, the layout
    /// identical to a fresh database's, integrity and foreign keys intact.
    @Test(arguments: SchemaHistory.layouts)
    func upgradesFromHistoricLayout(_ layout: HistoricSchema) async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("old.sqlite")
        try layout.create(at: path)
        let oldPool = try DatabasePool(path: path)
        try await oldPool.write { db in try db.execute(sql: Self.historicRowsSQL) }
        let before = try await tableDump(oldPool)
        try oldPool.close()
        #expect(before["ratings"]?.count == 2000)

        let store = try Store.open(path: path)
        #expect(try await store.appliedMigrations() == Store.knownMigrations)
        #expect(try await tableDump(store.pool) == before)
        #expect(try await store.currentSequence() == 2001)
        #expect(try await store.integrityCheck() == ["ok"])
        let violations = try store.pool.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        #expect(violations.isEmpty)
        let fresh = try makeStore(dir)
        #expect(try await schemaDump(store.pool) == (try await schemaDump(fresh.pool)))
        try fresh.close()

        // The store carries on from the kept sequence.
        #expect(try await store.addRating(Rating(user: 5, item: 6, value: 2)) == 2002)
        let changes = try await store.changes(since: 1999)
        #expect(changes.ratings.map(\.sequence).sorted() == [2000, 2001, 2002])
        try await store.deleteUser(1)
        #expect(try await store.ratings(ofUser: 1).isEmpty)
        try store.close()
    }

    /// Rows for every table, valid in every historic layout: ratings of 40 users × 50
    /// items with seq 1…2000, a tombstone at 2001, attributes, a model and a setting.
    static let historicRowsSQL = """
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
        INSERT INTO users (id) SELECT DISTINCT i / 50 + 1 FROM n;
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49)
        INSERT INTO items (id, title, genres) SELECT i + 100, 'Item ' || i, CASE i % 3 WHEN 0 THEN '' ELSE 'Drama|Comedy' END FROM n;
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
        INSERT INTO ratings (user, item, rating, ts, seq)
            SELECT i / 50 + 1, i % 50 + 100, (i % 10) / 2.0 + 0.5, CASE WHEN i % 7 = 0 THEN NULL ELSE 1000 + i END, i + 1 FROM n;
        INSERT INTO rating_tombstones (user, item, seq) VALUES (41, 100, 2001);
        INSERT INTO user_tombstones (user, seq) VALUES (42, 1500);
        UPDATE change_sequence SET value = 2001;
        INSERT INTO user_attributes (user, name, num, text) VALUES (1, 'age', 31, NULL), (2, 'job', NULL, 'writer');
        INSERT INTO item_attributes (item, name, num, text) VALUES (100, 'year', 1995, NULL);
        INSERT INTO models (created_at, algorithm, hyperparameters, metrics, training_log, seq, k, user_ids, item_ids)
            VALUES (1700000000.5, 'als', '{"k":2}', '{}', '', 2000, 2, x'0100000000000000', x'6400000000000000');
        INSERT INTO model_arrays (model, name, data) VALUES (1, 'userFactors', x'0000803f00000040');
        INSERT INTO model_scalars (model, name, value) VALUES (1, 'mu', 3.5);
        INSERT INTO settings (key, value) VALUES ('training', '{"k":2}');
        """
}

/// `sqlite_master` without root pages (a rebuilt table lives on other pages), sorted.
private func schemaDump(_ pool: DatabasePool) async throws -> [String] {
    try await pool.read { db in
        try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").map(\.description)
    }
}

/// Every row of every data table (not GRDB's migration list), by table, sorted.
private func tableDump(_ pool: DatabasePool) async throws -> [String: [String]] {
    try await pool.read { db in
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
            """)
        var dump: [String: [String]] = [:]
        for table in tables {
            dump[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map(\.description).sorted()
        }
        return dump
    }
}
