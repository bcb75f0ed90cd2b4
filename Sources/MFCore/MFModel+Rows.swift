/// Reading and replacing single rows: the engine's fold-in overlay and growth.
extension MFModel {
    /// Row `u` as a value (precondition: `0 <= u < userCount`).
    public func user(_ u: Int32) -> UserVector {
        let k = factors, b = Int(u) * k
        return UserVector(factors: Array(userFactors[b..<b + k]), bias: userBias[Int(u)],
                          implicitFactors: hasImplicitUserFactors ? Array(implicitUserFactors[b..<b + k]) : [],
                          rankerFactors: ranker.map { Array($0.userFactors[b..<b + k]) } ?? [])
    }

    /// Row `i` as a value (precondition: `0 <= i < itemCount`).
    public func item(_ i: Int32) -> ItemVector {
        let k = factors, b = Int(i) * k
        return ItemVector(factors: Array(itemFactors[b..<b + k]), bias: itemBias[Int(i)],
                          implicitFactors: hasImplicitFactors ? Array(implicitItemFactors[b..<b + k]) : [],
                          popularity: itemPopularity[Int(i)], rankerFactors: ranker.map { Array($0.itemFactors[b..<b + k]) } ?? [])
    }

    /// Replaces user `u`'s row.
    public mutating func setUser(_ u: Int32, _ v: UserVector) throws {
        try checkIndex(u, userCount, "user")
        try checkUser(v)
        let k = factors, b = Int(u) * k
        userFactors.replaceSubrange(b..<b + k, with: v.factors)
        if hasImplicitUserFactors {
            implicitUserFactors.replaceSubrange(b..<b + k, with: v.implicitFactors.isEmpty ? [Float](repeating: 0, count: k) : v.implicitFactors)
        }
        let z = orZeros(v.rankerFactors)
        ranker?.userFactors.replaceSubrange(b..<b + k, with: z)
        userBias[Int(u)] = v.bias
    }

    /// Appends a user row and returns its index.
    @discardableResult
    public mutating func appendUser(_ v: UserVector) throws -> Int32 {
        try checkUser(v)
        userFactors.append(contentsOf: v.factors); userBias.append(v.bias)
        if hasImplicitUserFactors {
            implicitUserFactors.append(contentsOf: v.implicitFactors.isEmpty ? [Float](repeating: 0, count: factors) : v.implicitFactors)
        }
        let z = orZeros(v.rankerFactors)
        ranker?.userFactors.append(contentsOf: z)
        return Int32(userCount - 1)
    }

    /// Replaces item `i`'s row (and its derived ranking vector and norm).
    public mutating func setItem(_ i: Int32, _ v: ItemVector) throws {
        try checkIndex(i, itemCount, "item")
        try checkItem(v)
        let k = factors, b = Int(i) * k
        itemFactors.replaceSubrange(b..<b + k, with: v.factors)
        if hasImplicitFactors {
            implicitItemFactors.replaceSubrange(b..<b + k, with: v.implicitFactors.isEmpty ? [Float](repeating: 0, count: k) : v.implicitFactors)
        }
        let z = orZeros(v.rankerFactors)
        ranker?.itemFactors.replaceSubrange(b..<b + k, with: z)
        itemBias[Int(i)] = v.bias; itemPopularity[Int(i)] = v.popularity
        updateDerived(item: Int(i))
    }

    /// Appends an item row and returns its index.
    @discardableResult
    public mutating func appendItem(_ v: ItemVector) throws -> Int32 {
        try checkItem(v)
        let k = factors
        itemFactors.append(contentsOf: v.factors)
        if hasImplicitFactors {
            implicitItemFactors.append(contentsOf: v.implicitFactors.isEmpty ? [Float](repeating: 0, count: k) : v.implicitFactors)
        }
        let z = orZeros(v.rankerFactors)
        ranker?.itemFactors.append(contentsOf: z)
        itemBias.append(v.bias); itemPopularity.append(v.popularity)
        itemNorms.append(0)
        updateDerived(item: itemCount - 1)
        return Int32(itemCount - 1)
    }

    /// A row's ranker factors, or zeros when it has none (the row then ranks by ω·rating score alone).
    private func orZeros(_ f: [Float]) -> [Float] { f.isEmpty ? [Float](repeating: 0, count: factors) : f }

    private func checkIndex(_ x: Int32, _ n: Int, _ f: String) throws {
        guard x >= 0 && Int(x) < n else { throw MFCoreError.indexOutOfRange(field: f, index: 0, value: Int(x), count: n) }
    }

    private func checkUser(_ v: UserVector) throws {
        guard v.factors.count == factors else { throw MFCoreError.dimensionMismatch(field: "user.factors", expected: factors, actual: v.factors.count) }
        if hasImplicitUserFactors && !v.implicitFactors.isEmpty && v.implicitFactors.count != factors {
            throw MFCoreError.dimensionMismatch(field: "user.implicit_factors", expected: factors, actual: v.implicitFactors.count)
        }
        if ranker != nil && !v.rankerFactors.isEmpty && v.rankerFactors.count != factors {
            throw MFCoreError.dimensionMismatch(field: "user.ranker_factors", expected: factors, actual: v.rankerFactors.count)
        }
        guard v.bias.isFinite, v.factors.allSatisfy(\.isFinite), v.implicitFactors.allSatisfy(\.isFinite), v.rankerFactors.allSatisfy(\.isFinite) else {
            throw MFCoreError.nonFiniteValue(field: "user.factors", index: 0)
        }
    }

    private func checkItem(_ v: ItemVector) throws {
        guard v.factors.count == factors else { throw MFCoreError.dimensionMismatch(field: "item.factors", expected: factors, actual: v.factors.count) }
        if hasImplicitFactors && !v.implicitFactors.isEmpty && v.implicitFactors.count != factors {
            throw MFCoreError.dimensionMismatch(field: "item.implicit_factors", expected: factors, actual: v.implicitFactors.count)
        }
        if ranker != nil && !v.rankerFactors.isEmpty && v.rankerFactors.count != factors {
            throw MFCoreError.dimensionMismatch(field: "item.ranker_factors", expected: factors, actual: v.rankerFactors.count)
        }
        guard v.bias.isFinite, v.popularity.isFinite, v.factors.allSatisfy(\.isFinite), v.implicitFactors.allSatisfy(\.isFinite),
              v.rankerFactors.allSatisfy(\.isFinite) else {
            throw MFCoreError.nonFiniteValue(field: "item.factors", index: 0)
        }
    }
}
