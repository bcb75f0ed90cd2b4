/// Training input: ratings in compressed sparse rows, once by user and once by item.
///
/// Within a user row items are ascending, within an item row users are
/// ascending, so results never depend on the order of the input arrays.
public struct RatingMatrix: Sendable {
    /// Number of users (rows of the user CSR).
    public let userCount: Int
    /// Number of items (rows of the item CSR).
    public let itemCount: Int
    /// CSR by user: ratings of user `u` are `userOffsets[u] ..< userOffsets[u+1]`.
    public let userOffsets: [Int]
    public let userItems: [Int32]
    public let userRatings: [Float]
    /// CSR by item: ratings of item `i` are `itemOffsets[i] ..< itemOffsets[i+1]`.
    public let itemOffsets: [Int]
    public let itemUsers: [Int32]
    public let itemRatings: [Float]
    /// Mean, minimum and maximum rating.
    public let mean: Float
    public let minRating: Float
    public let maxRating: Float

    /// Number of ratings.
    public var count: Int { userItems.count }

    /// Builds both CSRs from parallel arrays.
    /// - Parameters:
    ///   - userCount/itemCount: index ranges; nil means `max index + 1`.
    /// - Throws: `MFCoreError` `empty_input`, `length_mismatch`,
    ///   `non_finite_value` or `index_out_of_range` naming the field.
    public init(users: [Int32], items: [Int32], ratings: [Float],
                userCount: Int? = nil, itemCount: Int? = nil) throws {
        guard !ratings.isEmpty else { throw MFCoreError.emptyInput(field: "ratings") }
        guard users.count == ratings.count else {
            throw MFCoreError.lengthMismatch(field: "users", expected: ratings.count, actual: users.count)
        }
        guard items.count == ratings.count else {
            throw MFCoreError.lengthMismatch(field: "items", expected: ratings.count, actual: items.count)
        }
        var sum = 0.0, lo = Float.infinity, hi = -Float.infinity
        for (j, r) in ratings.enumerated() {
            guard r.isFinite else { throw MFCoreError.nonFiniteValue(field: "ratings", index: j) }
            sum += Double(r); lo = min(lo, r); hi = max(hi, r)
        }
        let nu = try Self.checkIndices(users, field: "users", count: userCount)
        let ni = try Self.checkIndices(items, field: "items", count: itemCount)
        // Bucket by item (input order), then by user walking items in order:
        // user rows come out sorted by item. Then re-bucket for sorted item rows.
        let byItem = Self.bucket(rows: items, cols: users, vals: ratings, rowCount: ni)
        let byUser = Self.bucketCSR(byItem, rowCount: nu)
        let byItemSorted = Self.bucketCSR(byUser, rowCount: ni)
        self.userCount = nu; self.itemCount = ni
        (userOffsets, userItems, userRatings) = byUser
        (itemOffsets, itemUsers, itemRatings) = byItemSorted
        mean = Float(sum / Double(ratings.count)); minRating = lo; maxRating = hi
    }

    /// Items rated by user `u`, ascending.
    public func items(ofUser u: Int) -> ArraySlice<Int32> { userItems[userOffsets[u]..<userOffsets[u + 1]] }
    /// Ratings of user `u`, aligned with `items(ofUser:)`.
    public func ratings(ofUser u: Int) -> ArraySlice<Float> { userRatings[userOffsets[u]..<userOffsets[u + 1]] }
    /// Users who rated item `i`, ascending.
    public func users(ofItem i: Int) -> ArraySlice<Int32> { itemUsers[itemOffsets[i]..<itemOffsets[i + 1]] }
    /// Ratings of item `i`, aligned with `users(ofItem:)`.
    public func ratings(ofItem i: Int) -> ArraySlice<Float> { itemRatings[itemOffsets[i]..<itemOffsets[i + 1]] }

    private static func checkIndices(_ idx: [Int32], field: String, count: Int?) throws -> Int {
        var top: Int32 = -1
        for (j, v) in idx.enumerated() {
            if v < 0 || (count.map { Int(v) >= $0 } ?? false) {
                throw MFCoreError.indexOutOfRange(field: field, index: j, value: Int(v), count: count ?? 0)
            }
            top = max(top, v)
        }
        return count ?? Int(top) + 1
    }

    typealias CSR = (offsets: [Int], cols: [Int32], vals: [Float])

    /// Counting sort of triplets by row, stable in input order.
    private static func bucket(rows: [Int32], cols: [Int32], vals: [Float], rowCount: Int) -> CSR {
        var off = [Int](repeating: 0, count: rowCount + 1)
        for r in rows { off[Int(r) + 1] += 1 }
        for r in 0..<rowCount { off[r + 1] += off[r] }
        var pos = off
        var c = [Int32](repeating: 0, count: rows.count), v = [Float](repeating: 0, count: rows.count)
        for j in rows.indices {
            let r = Int(rows[j]); let p = pos[r]; pos[r] += 1
            c[p] = cols[j]; v[p] = vals[j]
        }
        return (off, c, v)
    }

    /// Transposes a CSR; rows of the result are sorted by column.
    private static func bucketCSR(_ m: CSR, rowCount: Int) -> CSR {
        var rows = [Int32](repeating: 0, count: m.cols.count)
        for r in 0..<(m.offsets.count - 1) {
            for p in m.offsets[r]..<m.offsets[r + 1] { rows[p] = Int32(r) }
        }
        return bucket(rows: m.cols, cols: rows, vals: m.vals, rowCount: rowCount)
    }
}
