import GRDB

/// Numbered migrations. A migration is never edited once it has landed on main:
/// schema changes go into a new "vN" appended at the end.
enum StoreSchema {
    /// Identifiers in application order; tests check this list.
    static let migrationIdentifiers = ["v1", "v2"]

    static func makeMigrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2", migrate: v2)
        return migrator
    }

    /// v1: ratings, users, items, attributes, change sequence, tombstones, models, settings.
    static func v1(_ db: Database) throws {
        try db.execute(sql: """
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
            """)
    }
}
