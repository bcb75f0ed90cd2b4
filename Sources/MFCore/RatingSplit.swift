/// Ratings divided into a training matrix and test ratings indexed like it:
/// the one split behind `evaluate`, `tune`, `mfbench eval` and `mfbench tune`.
/// A test rating whose user or item has no training rating is dropped (counted
/// in `dropped`): no model row exists to score it.
public struct RatingSplit: Sendable {
    /// How external IDs get their dense indices.
    public enum Indexing: Sendable {
        /// By rank among the sorted training IDs, as `../shared/anchors/common.py` does.
        case sortedIDs
        /// In the order the training rows list them.
        case firstSeen
    }

    public let train: RatingMatrix
    /// External IDs of the training matrix's rows and columns.
    public let users: IDMap, items: IDMap
    public let test: HoldoutRatings
    /// Test ratings left out because their user or item has no training rating.
    public let dropped: Int

    /// Rows `trainRows` of the columns train, rows `testRows` test.
    public init(users u: [Int64], items i: [Int64], ratings r: [Float],
                trainRows: some Collection<Int>, testRows: some Sequence<Int>, indexing: Indexing) throws {
        var um = IDMap(), im = IDMap()
        var tu = [Int32](), ti = [Int32](), tv = [Float]()
        tu.reserveCapacity(trainRows.count); ti.reserveCapacity(trainRows.count); tv.reserveCapacity(trainRows.count)
        switch indexing {
        case .firstSeen:
            for j in trainRows { tu.append(um.append(u[j])); ti.append(im.append(i[j])); tv.append(r[j]) }
        case .sortedIDs:
            um = IDMap(ids: Set(trainRows.lazy.map { u[$0] }).sorted())
            im = IDMap(ids: Set(trainRows.lazy.map { i[$0] }).sorted())
            for j in trainRows { tu.append(um.index(of: u[j])!); ti.append(im.index(of: i[j])!); tv.append(r[j]) }
        }
        train = try RatingMatrix(users: tu, items: ti, ratings: tv, userCount: um.count, itemCount: im.count)
        users = um; items = im
        var eu = [Int32](), ei = [Int32](), ev = [Float](), left = 0
        for j in testRows {
            guard let a = um.index(of: u[j]), let b = im.index(of: i[j]) else { left += 1; continue }
            eu.append(a); ei.append(b); ev.append(r[j])
        }
        test = HoldoutRatings(users: eu, items: ei, ratings: ev)
        dropped = left
    }

    /// A seeded random holdout: `fraction` of the ratings (at least one) test, the rest train, indexed `.firstSeen`.
    public static func holdout(users: [Int64], items: [Int64], ratings: [Float], fraction: Double, seed: Int64) throws -> RatingSplit {
        var rng = SeededRNG(seed: UInt64(bitPattern: seed))
        var order = Array(0..<ratings.count)
        order.shuffle(using: &rng)
        let nTest = max(1, Int((Double(ratings.count) * fraction).rounded()))
        return try RatingSplit(users: users, items: items, ratings: ratings,
                               trainRows: order[nTest...], testRows: order[..<nTest], indexing: .firstSeen)
    }

    /// `model`'s rating metrics and ranking metrics at 10 on the test ratings
    /// (`model` trained on `train`; `common.py`'s protocol, see `Metrics`).
    public func score(_ model: MFModel) throws -> (rating: RatingMetrics, ranking: RankingMetrics) {
        (Metrics.rating(model: model, users: test.users, items: test.items, ratings: test.ratings),
         try Metrics.ranking(model: model, train: train, users: test.users, items: test.items, ratings: test.ratings))
    }
}
