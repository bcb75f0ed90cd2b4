import GRDB

/// Upserts ratings inside one write transaction; shared by group commit and bulk import.
///
/// A re-rating replaces the value and keeps the newest timestamp
/// (`max(old, new)`, NULL counting as absent). Users and items rows are created
/// on first sight. A tombstone of the same pair is cleared so `changes(since:)`
/// reports the live value. Rows are buffered and written `batchRows` per
/// statement (multi-row VALUES, applied in order); call `flush()` before commit.
struct RatingUpserter {
    private static let batchRows = 64
    private static let upsertTail = """
         ON CONFLICT (user, item) DO UPDATE SET
            rating = excluded.rating,
            ts = max(coalesce(ratings.ts, excluded.ts), coalesce(excluded.ts, ratings.ts)),
            seq = excluded.seq
        """
    private let db: Database
    private let upsertBatch: RawStatement
    private let addUser: RawStatement
    private let addItem: RawStatement
    private let clearTombstone: RawStatement?
    private var seenUsers = IDSet()
    private var seenItems = IDSet()
    private var pending: [(user: Int64, item: Int64, value: Double, timestamp: Int64?)] = []
    let sequence: Int64

    init(_ db: Database, sequence: Int64) throws {
        self.db = db
        self.sequence = sequence
        upsertBatch = try RawStatement(db, Self.upsertSQL(rows: Self.batchRows), cached: true)
        addUser = try RawStatement(db, "INSERT OR IGNORE INTO users (id) VALUES (?1)", cached: true)
        addItem = try RawStatement(db, "INSERT OR IGNORE INTO items (id) VALUES (?1)", cached: true)
        let hasTombstones = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM rating_tombstones)") ?? false
        clearTombstone = hasTombstones
            ? try RawStatement(db, "DELETE FROM rating_tombstones WHERE user = ?1 AND item = ?2", cached: true) : nil
        pending.reserveCapacity(Self.batchRows)
    }

    private static func upsertSQL(rows: Int) -> String {
        "INSERT INTO ratings (user, item, rating, ts, seq) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?)", count: rows).joined(separator: ", ") + upsertTail
    }

    mutating func apply(user: Int64, item: Int64, value: Double, timestamp: Int64?) throws {
        if seenUsers.insert(user) {
            addUser.bind(1, user)
            try addUser.execute()
        }
        if seenItems.insert(item) {
            addItem.bind(1, item)
            try addItem.execute()
        }
        if let clearTombstone {
            clearTombstone.bind(1, user)
            clearTombstone.bind(2, item)
            try clearTombstone.execute()
        }
        pending.append((user, item, value, timestamp))
        if pending.count == Self.batchRows { try flush() }
    }

    /// Writes buffered rows; must run before the transaction commits.
    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        let statement = pending.count == Self.batchRows
            ? upsertBatch : try RawStatement(db, Self.upsertSQL(rows: pending.count), cached: pending.count == 1)
        for (i, row) in pending.enumerated() {
            let base = Int32(i * 5)
            statement.bind(base + 1, row.user)
            statement.bind(base + 2, row.item)
            statement.bind(base + 3, row.value)
            statement.bind(base + 4, row.timestamp)
            statement.bind(base + 5, sequence)
        }
        try statement.execute()
        pending.removeAll(keepingCapacity: true)
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
