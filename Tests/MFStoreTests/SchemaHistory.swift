import GRDB
import Testing

/// Frozen copies of the SQL of every schema migration as it landed on main, so a later
/// edit of a landed migration fails SchemaTests (SchemaTests+History.swift). Never change
/// these strings: when a migration lands, add its SQL and an entry to `landed`.
enum SchemaHistory {
    /// "v1" as it landed in 6f319e6.
    static let v1Landed = """
        -- One row; every rating-changing transaction increments it once.
        CREATE TABLE change_sequence (
            id INTEGER PRIMARY KEY CHECK (id = 0),
            value INTEGER NOT NULL);
        INSERT INTO change_sequence (id, value) VALUES (0, 0);

        CREATE TABLE users (id INTEGER PRIMARY KEY);
        -- genres: '|'-joined list ('' = none).
        CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT, genres TEXT NOT NULL DEFAULT '');

        -- Exactly one of num / text is set: numeric or categorical attribute.
        CREATE TABLE user_attributes (
            user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            num REAL,
            text TEXT,
            PRIMARY KEY (user, name),
            CHECK ((num IS NULL) <> (text IS NULL))) WITHOUT ROWID;
        CREATE TABLE item_attributes (
            item INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            num REAL,
            text TEXT,
            PRIMARY KEY (item, name),
            CHECK ((num IS NULL) <> (text IS NULL))) WITHOUT ROWID;

        -- seq: the change sequence of the transaction that last wrote the row.
        CREATE TABLE ratings (
            user INTEGER NOT NULL REFERENCES users(id),
            item INTEGER NOT NULL REFERENCES items(id),
            rating REAL NOT NULL,
            ts INTEGER,
            seq INTEGER NOT NULL,
            PRIMARY KEY (user, item)) WITHOUT ROWID;
        CREATE INDEX ratings_seq ON ratings(seq);
        CREATE INDEX ratings_item ON ratings(item);

        -- Deleted ratings and users, so changes(since:) can report deletions.
        CREATE TABLE rating_tombstones (
            user INTEGER NOT NULL,
            item INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (user, item)) WITHOUT ROWID;
        CREATE INDEX rating_tombstones_seq ON rating_tombstones(seq);
        CREATE TABLE user_tombstones (user INTEGER PRIMARY KEY, seq INTEGER NOT NULL);

        -- Trained models; factor/bias arrays are little-endian Float32 BLOBs,
        -- ID maps little-endian Int64 BLOBs (index i ↔ ID at position i).
        CREATE TABLE models (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_at REAL NOT NULL,
            algorithm TEXT NOT NULL,
            hyperparameters TEXT NOT NULL,
            metrics TEXT NOT NULL,
            training_log TEXT NOT NULL,
            seq INTEGER NOT NULL,
            k INTEGER NOT NULL,
            user_ids BLOB NOT NULL,
            item_ids BLOB NOT NULL);
        CREATE TABLE model_arrays (
            model INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (model, name)) WITHOUT ROWID;
        CREATE TABLE model_scalars (
            model INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (model, name)) WITHOUT ROWID;

        CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
        """

    /// "v1" as edited in place by eafa44a: ratings without FKs and indexes.
    /// Every database created from eafa44a until v2 landed has this layout.
    static let v1Edited = """
        -- One row; every rating-changing transaction increments it once.
        CREATE TABLE change_sequence (
            id INTEGER PRIMARY KEY CHECK (id = 0),
            value INTEGER NOT NULL);
        INSERT INTO change_sequence (id, value) VALUES (0, 0);

        CREATE TABLE users (id INTEGER PRIMARY KEY);
        -- genres: '|'-joined list ('' = none).
        CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT, genres TEXT NOT NULL DEFAULT '');

        -- Exactly one of num / text is set: numeric or categorical attribute.
        CREATE TABLE user_attributes (
            user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            num REAL,
            text TEXT,
            PRIMARY KEY (user, name),
            CHECK ((num IS NULL) <> (text IS NULL))) WITHOUT ROWID;
        CREATE TABLE item_attributes (
            item INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            num REAL,
            text TEXT,
            PRIMARY KEY (item, name),
            CHECK ((num IS NULL) <> (text IS NULL))) WITHOUT ROWID;

        -- seq: the change sequence of the transaction that last wrote the row.
        -- No secondary indexes and no FOREIGN KEY clauses: each costs bulk-import
        -- throughput (a b-tree insert or two parent lookups per row). RatingUpserter
        -- creates the users/items rows of every rating and deleteUser removes the
        -- ratings first; changes(since:) (once per retrain) and ratings(ofItem:) scan.
        CREATE TABLE ratings (
            user INTEGER NOT NULL,
            item INTEGER NOT NULL,
            rating REAL NOT NULL,
            ts INTEGER,
            seq INTEGER NOT NULL,
            PRIMARY KEY (user, item)) WITHOUT ROWID;

        -- Deleted ratings and users, so changes(since:) can report deletions.
        CREATE TABLE rating_tombstones (
            user INTEGER NOT NULL,
            item INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (user, item)) WITHOUT ROWID;
        CREATE INDEX rating_tombstones_seq ON rating_tombstones(seq);
        CREATE TABLE user_tombstones (user INTEGER PRIMARY KEY, seq INTEGER NOT NULL);

        -- Trained models; factor/bias arrays are little-endian Float32 BLOBs,
        -- ID maps little-endian Int64 BLOBs (index i ↔ ID at position i).
        CREATE TABLE models (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_at REAL NOT NULL,
            algorithm TEXT NOT NULL,
            hyperparameters TEXT NOT NULL,
            metrics TEXT NOT NULL,
            training_log TEXT NOT NULL,
            seq INTEGER NOT NULL,
            k INTEGER NOT NULL,
            user_ids BLOB NOT NULL,
            item_ids BLOB NOT NULL);
        CREATE TABLE model_arrays (
            model INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (model, name)) WITHOUT ROWID;
        CREATE TABLE model_scalars (
            model INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (model, name)) WITHOUT ROWID;

        CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
        """

    /// "v2": drops the rating indexes, then rebuilds `ratings` without FKs when it has them.
    static let v2DropRatingIndexes = """
        DROP INDEX IF EXISTS ratings_seq;
        DROP INDEX IF EXISTS ratings_item;
        """

    static let v2RebuildRatings = """
        ALTER TABLE ratings RENAME TO ratings_v1;
        CREATE TABLE ratings (
            user INTEGER NOT NULL,
            item INTEGER NOT NULL,
            rating REAL NOT NULL,
            ts INTEGER,
            seq INTEGER NOT NULL,
            PRIMARY KEY (user, item)) WITHOUT ROWID;
        INSERT INTO ratings (user, item, rating, ts, seq) SELECT user, item, rating, ts, seq FROM ratings_v1;
        DROP TABLE ratings_v1;
        """
}

extension SchemaHistory {
    /// The SQL each migration runs on a fresh database, in order: one entry per known migration.
    static let landed: [HistoricSchema.Step] = [
        .init(id: "v1", sql: v1Landed),
        .init(id: "v2", sql: v2DropRatingIndexes + "\n" + v2RebuildRatings),
    ]

    /// Every layout a released version could have left: each prefix of `landed`, and v1 as edited.
    static let layouts: [HistoricSchema] =
        landed.indices.map { HistoricSchema(name: "up to \(landed[$0].id)", steps: Array(landed[...$0])) }
        + [HistoricSchema(name: "v1 as edited by eafa44a", steps: [.init(id: "v1", sql: v1Edited)])]
}

/// A database layout: the migrations recorded in grdb_migrations and the SQL that made it.
struct HistoricSchema: Sendable, CustomTestStringConvertible {
    struct Step: Sendable {
        var id: String
        var sql: String
    }

    var name: String
    var steps: [Step]
    var testDescription: String { name }

    /// Creates the layout at `path` with GRDB's migrator, so grdb_migrations is what the
    /// released code wrote.
    func create(at path: String) throws {
        var migrator = DatabaseMigrator()
        for step in steps {
            migrator.registerMigration(step.id) { db in try db.execute(sql: step.sql) }
        }
        let pool = try DatabasePool(path: path)
        try migrator.migrate(pool)
        try pool.close()
    }
}
