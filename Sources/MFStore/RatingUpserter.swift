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
        upsertBatch = try RawStatement(db, Self.upsertSQL[Self.batchRows], cached: true)
        addUser = try RawStatement(db, "INSERT OR IGNORE INTO users (id) VALUES (?1)", cached: true)
        addItem = try RawStatement(db, "INSERT OR IGNORE INTO items (id) VALUES (?1)", cached: true)
        // Cached: preparing a statement (GRDB's authorizer runs per column) cost a
        // one-rating commit more than the rest of its SQL.
        let anyTombstone = try RawStatement(db, "SELECT EXISTS (SELECT 1 FROM rating_tombstones)", cached: true)
        defer { anyTombstone.reset() }
        clearTombstone = try anyTombstone.step() && anyTombstone.int64(0) != 0
            ? try RawStatement(db, "DELETE FROM rating_tombstones WHERE user = ?1 AND item = ?2", cached: true) : nil
        pending.reserveCapacity(Self.batchRows)
    }

    /// The upsert of n rows, for n in 1...batchRows (index 0 unused).
    private static let upsertSQL: [String] = (0...batchRows).map { rows in
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
        // Every size is cached: small group commits (few clients) repeat them.
        let statement = pending.count == Self.batchRows
            ? upsertBatch : try RawStatement(db, Self.upsertSQL[pending.count], cached: true)
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
        try RawStatement(db, "UPDATE change_sequence SET value = value + 1 WHERE id = 0", cached: true).execute()
        return try current(db)
    }

    static func current(_ db: Database) throws -> Int64 {
        let select = try RawStatement(db, "SELECT value FROM change_sequence WHERE id = 0", cached: true)
        defer { select.reset() }
        return try select.step() ? select.int64(0) : 0
    }
}
