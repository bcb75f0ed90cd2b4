import GRDB

/// All ratings at one sequence number, as parallel arrays (training input).
public struct RatingsSnapshot: Sendable {
    public var users: [Int64]
    public var items: [Int64]
    public var values: [Float]
    /// Present when requested; nil entries are ratings without a timestamp.
    public var timestamps: [Int64?]?
    /// Every change with a sequence number ≤ this is included, none after.
    public var sequence: Int64

    public var count: Int { values.count }
}

extension Store {
    /// Reads every rating in one read transaction (consistent with `sequence`),
    /// ordered by (user, item). Writers are not blocked.
    public func ratingsSnapshot(includeTimestamps: Bool = false) async throws -> RatingsSnapshot {
        try await MFStoreError.wrap {
            try await pool.read { db in
                let sequence = try ChangeSequence.current(db)
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM ratings") ?? 0
                var users: [Int64] = [], items: [Int64] = [], values: [Float] = []
                var timestamps: [Int64?] = []
                users.reserveCapacity(count)
                items.reserveCapacity(count)
                values.reserveCapacity(count)
                if includeTimestamps { timestamps.reserveCapacity(count) }
                let statement = try RawStatement(db, "SELECT user, item, rating, ts FROM ratings")
                while try statement.step() {
                    users.append(statement.int64(0))
                    items.append(statement.int64(1))
                    values.append(Float(statement.double(2)))
                    if includeTimestamps { timestamps.append(statement.optionalInt64(3)) }
                }
                return RatingsSnapshot(users: users, items: items, values: values,
                                       timestamps: includeTimestamps ? timestamps : nil, sequence: sequence)
            }
        }
    }

    /// Reads every rating in one read transaction, user by user in ascending
    /// order: `body` gets each user's rated items (ascending) and values, in
    /// arrays of exactly that size that it may keep. Returns the change sequence
    /// the ratings correspond to. Unlike ``ratingsSnapshot(includeTimestamps:)``
    /// it never holds a flat copy of all ratings (20 bytes each), which the
    /// daemon's load then turned into lists of its own.
    @discardableResult
    public func forEachUser(_ body: @escaping @Sendable (_ user: Int64, _ items: [Int64], _ values: [Float]) throws -> Void)
        async throws -> Int64 {
        try await MFStoreError.wrap {
            try await pool.read { db in
                let sequence = try ChangeSequence.current(db)
                // The primary key is (user, item): this scan is already in that order.
                let statement = try RawStatement(db, "SELECT user, item, rating FROM ratings ORDER BY user, item")
                var user: Int64? = nil
                var items: [Int64] = [], values: [Float] = []
                func emit() throws {
                    guard let u = user else { return }
                    try body(u, exactCopy(items), exactCopy(values))
                    items.removeAll(keepingCapacity: true); values.removeAll(keepingCapacity: true)
                }
                while try statement.step() {
                    let u = statement.int64(0)
                    if u != user { try emit(); user = u }
                    items.append(statement.int64(1))
                    values.append(Float(statement.double(2)))
                }
                try emit()
                return sequence
            }
        }
    }

    /// Streams every rating in `chunkSize` pieces from one read transaction (export);
    /// returns the sequence number the stream corresponds to.
    @discardableResult
    public func forEachRatingChunk(chunkSize: Int = 65_536,
                                   _ body: @escaping @Sendable ([Rating]) throws -> Void) async throws -> Int64 {
        let size = max(1, chunkSize)
        return try await MFStoreError.wrap {
            try await pool.read { db in
                let sequence = try ChangeSequence.current(db)
                let statement = try RawStatement(db, "SELECT user, item, rating, ts FROM ratings")
                var chunk: [Rating] = []
                chunk.reserveCapacity(size)
                while try statement.step() {
                    chunk.append(Rating(user: statement.int64(0), item: statement.int64(1),
                                        value: Float(statement.double(2)), timestamp: statement.optionalInt64(3)))
                    if chunk.count == size {
                        try body(chunk)
                        chunk.removeAll(keepingCapacity: true)
                    }
                }
                if !chunk.isEmpty { try body(chunk) }
                return sequence
            }
        }
    }
}

/// A copy in a buffer of its own, sized to the contents. (`Array(x[...])` of a
/// whole array shares x's buffer, so a scratch buffer reused after it kept
/// its largest capacity once per user: 1.6 GB at 5M ratings.)
private func exactCopy<T>(_ x: [T]) -> [T] {
    [T](unsafeUninitializedCapacity: x.count) { buffer, n in
        _ = buffer.initialize(fromContentsOf: x)
        n = x.count
    }
}
