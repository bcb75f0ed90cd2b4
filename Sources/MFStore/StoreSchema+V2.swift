import GRDB

extension StoreSchema {
    /// v2: `ratings` without FOREIGN KEY clauses and without the `ratings_seq` and
    /// `ratings_item` indexes. Each cost bulk-import throughput (two parent lookups or
    /// one more b-tree insert per row). RatingUpserter creates the users/items rows of
    /// every rating and deleteUser removes the ratings first; changes(since:) (once per
    /// retrain) and ratings(ofItem:) scan.
    ///
    /// Two kinds of database reach v2. Those made by v1 as it landed (6f319e6) have the
    /// FKs and indexes. Those made while v1 had been edited in place (eafa44a up to v2)
    /// already have this layout: only the `IF EXISTS` drops run, as no-ops. Both end with
    /// the same `sqlite_master` (SchemaTests compares them with a fresh database).
    static func v2(_ db: Database) throws {
        try db.execute(sql: v2DropRatingIndexes)
        if try !Row.fetchAll(db, sql: "PRAGMA foreign_key_list(ratings)").isEmpty {
            try db.execute(sql: v2RebuildRatings)
        }
    }

    static let v2DropRatingIndexes = """
        DROP INDEX IF EXISTS ratings_seq;
        DROP INDEX IF EXISTS ratings_item;
        """

    /// SQLite cannot drop a FOREIGN KEY clause: rebuild the table
    /// (sqlite.org/lang_altertable.html#otheralter). GRDB runs the migration in one
    /// transaction with foreign keys off and runs `foreign_key_check` before commit.
    /// The old table is renamed first so the new one is created under its final name
    /// and its `sqlite_master` text is byte-identical to the layout databases already
    /// have; renaming is safe because no table, index, trigger or view refers to
    /// `ratings` (its indexes are dropped above). Every row keeps its `seq`, and
    /// `change_sequence` is not touched: a schema change is not a rating change.
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
