import GRDB

/// Upserts ratings inside one write transaction; shared by group commit and bulk import.
///
/// A re-rating replaces the value and keeps the newest timestamp
/// (`max(old, new)`, NULL counting as absent). Users and items rows are created
/// on first sight. A tombstone of the same pair is cleared so `changes(since:)`
/// reports the live value.
struct RatingUpserter {
    private let upsert: RawStatement
    private let addUser: RawStatement
    private let addItem: RawStatement
    private let clearTombstone: RawStatement?
    private var seenUsers = Set<Int64>()
    private var seenItems = Set<Int64>()
    let sequence: Int64
    private(set) var newUsers = 0
    private(set) var newItems = 0

    init(_ db: Database, sequence: Int64) throws {
        self.sequence = sequence
        upsert = try RawStatement(db, """
            INSERT INTO ratings (user, item, rating, ts, seq) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (user, item) DO UPDATE SET
                rating = excluded.rating,
                ts = max(coalesce(ratings.ts, excluded.ts), coalesce(excluded.ts, ratings.ts)),
                seq = excluded.seq
            """)
        addUser = try RawStatement(db, "INSERT OR IGNORE INTO users (id) VALUES (?1)")
        addItem = try RawStatement(db, "INSERT OR IGNORE INTO items (id) VALUES (?1)")
        let hasTombstones = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM rating_tombstones)") ?? false
        clearTombstone = hasTombstones
            ? try RawStatement(db, "DELETE FROM rating_tombstones WHERE user = ?1 AND item = ?2") : nil
    }

    mutating func apply(user: Int64, item: Int64, value: Double, timestamp: Int64?) throws {
        if seenUsers.insert(user).inserted {
            addUser.bind(1, user)
            try addUser.execute()
        }
        if seenItems.insert(item).inserted {
            addItem.bind(1, item)
            try addItem.execute()
        }
        upsert.bind(1, user)
        upsert.bind(2, item)
        upsert.bind(3, value)
        upsert.bind(4, timestamp)
        upsert.bind(5, sequence)
        try upsert.execute()
        if let clearTombstone {
            clearTombstone.bind(1, user)
            clearTombstone.bind(2, item)
            try clearTombstone.execute()
        }
    }
}

enum ChangeSequence {
    /// Increments the change sequence inside the current write transaction.
    static func next(_ db: Database) throws -> Int64 {
        try db.execute(sql: "UPDATE change_sequence SET value = value + 1 WHERE id = 0")
        return try current(db)
    }

    static func current(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT value FROM change_sequence WHERE id = 0") ?? 0
    }
}
