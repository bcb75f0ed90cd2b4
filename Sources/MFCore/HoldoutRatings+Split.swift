/// The holdout every retrain keeps out of its training matrix, and the
/// completion that folds it back in. mfd's engine and `mfbench eval` both
/// split with `isHeldOut`, so a search scores the same ratings in both.
extension HoldoutRatings {
    /// Below this many ratings nothing is held out: too few to spare.
    public static let minimumRatings = 1_000

    /// True when (user, item) (external IDs) is held out at this fraction and seed:
    /// splitmix64 of the pair, as a uniform number in [0, 1).
    public static func isHeldOut(user: Int64, item: Int64, fraction: Double, seed: Int64) -> Bool {
        guard fraction > 0 else { return false }
        var z = UInt64(bitPattern: user) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: item) &+ UInt64(bitPattern: seed) &* 0xD1B5_4A32_D192_ED03
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(UInt64(1) << 53) < fraction
    }

    /// `m` split by `isHeldOut` on the external IDs of its rows (`users`) and columns (`items`);
    /// every user and item keeps its index. Nil holdout when `m` has fewer than `minimumRatings`.
    public static func split(_ m: RatingMatrix, users: IDMap, items: IDMap, fraction: Double, seed: Int64) throws
        -> (train: RatingMatrix, holdout: HoldoutRatings?) {
        guard fraction > 0, m.count >= minimumRatings else { return (m, nil) }
        var tu = [Int32](), ti = [Int32](), tv = [Float](), hu = [Int32](), hi = [Int32](), hv = [Float]()
        for u in 0..<m.userCount {
            let uid = users.id(at: Int32(u))
            for j in m.userOffsets[u]..<m.userOffsets[u + 1] {
                let i = m.userItems[j], v = m.userRatings[j]
                if isHeldOut(user: uid, item: items.id(at: i), fraction: fraction, seed: seed) {
                    hu.append(Int32(u)); hi.append(i); hv.append(v)
                } else {
                    tu.append(Int32(u)); ti.append(i); tv.append(v)
                }
            }
        }
        let train = try RatingMatrix(users: tu, items: ti, ratings: tv, userCount: m.userCount, itemCount: m.itemCount)
        return (train, hv.isEmpty ? nil : HoldoutRatings(users: hu, items: hi, ratings: hv))
    }
}

extension MFModel {
    /// The model (trained without `holdout`) with the rows that had held-out ratings
    /// re-solved by fold-in from all their ratings in `full`: items first, then users
    /// against those items, as the engine completes a retrain. Without attributes.
    public func completed(full: RatingMatrix, holdout: HoldoutRatings, threads: Int = 0) throws -> MFModel {
        var m = self
        let items = Set(holdout.items).sorted(), users = Set(holdout.users).sorted()
        let itemFold = FoldIn(model: m)
        let itemRows = try Self.solveRows(items, threads: threads) { i in
            try itemFold.item(users: Array(full.users(ofItem: Int(i))), ratings: Array(full.ratings(ofItem: Int(i))))
        }
        for (i, v) in zip(items, itemRows) { try m.setItem(i, v) }
        let userFold = FoldIn(model: m)
        let userRows = try Self.solveRows(users, threads: threads) { u in
            try userFold.user(items: Array(full.items(ofUser: Int(u))), ratings: Array(full.ratings(ofUser: Int(u))))
        }
        for (u, v) in zip(users, userRows) { try m.setUser(u, v) }
        return m
    }

    /// `solve` of every row, in `threads` contiguous chunks; results in input order.
    static func solveRows<R>(_ rows: [Int32], threads: Int, _ solve: (Int32) throws -> R) throws -> [R] {
        let parts = max(1, min(Parallel.threads(threads), rows.count))
        let chunk = (rows.count + parts - 1) / parts
        var out = [Result<[R], any Error>?](repeating: nil, count: parts)
        out.withUnsafeMutableBufferPointer { o in
            let box = UnsafeSendableBox(o)
            Parallel.run((0..<parts).map { ($0 * chunk)..<min(rows.count, ($0 + 1) * chunk) }) { c, range in
                box.value[c] = Result { try rows[range].map(solve) }
            }
        }
        return try out.flatMap { try $0?.get() ?? [] }
    }
}
