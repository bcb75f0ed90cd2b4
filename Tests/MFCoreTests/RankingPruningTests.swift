import Testing
@testable import MFCore

/// `topN` prunes whole blocks (Cauchy–Schwarz) and partly scored blocks (tail bound in the
/// rotated space); these check it against `topNReference`, the brute-force scan over the same
/// stored vectors: same items, same order, bitwise the same scores.
@Suite struct RankingPruningTests {
    enum Kind: CustomStringConvertible, CaseIterable {
        /// Item norms over four orders of magnitude (rarely rated items shrink towards 0).
        case skewed
        /// Items around a few centres with decaying per-dimension scales (what PCA exploits).
        case clustered
        var description: String { self == .skewed ? "skewed" : "clustered" }
    }

    static func model(_ kind: Kind, items: Int, users: Int, k: Int, seed: UInt64) throws -> MFModel {
        var rng = SeededRNG(seed: seed)
        func table(_ n: Int) -> [Float] { (0..<n).map { _ in rng.nextGaussian() } }
        var q = table(items * k), y = table(items * k), p = table(users * k)
        switch kind {
        case .skewed:
            for i in 0..<items {
                let scale = Float(1e-3) * Float(1 << (rng.next() % 13))
                for c in 0..<k { q[i * k + c] *= scale; y[i * k + c] *= scale * 0.01 }
            }
        case .clustered:
            let centres = (0..<5).map { _ in (0..<k).map { c in rng.nextGaussian() / Float(1 + c) } }
            for i in 0..<items {
                let centre = centres[Int(rng.next() % 5)], scale = Float(1 << (rng.next() % 6)) * 0.05
                for c in 0..<k { q[i * k + c] = scale * (centre[c] + 0.1 * q[i * k + c]); y[i * k + c] *= 0.001 }
            }
            for u in 0..<users {
                let centre = centres[u % 5]
                for c in 0..<k { p[u * k + c] = centre[c] + 0.3 * p[u * k + c] }
            }
        }
        return try MFModel(factors: k, globalMean: 3.5, minRating: 0.5, maxRating: 5,
                           userBias: table(users), userFactors: p, itemBias: table(items).map { $0 * 0.3 },
                           itemFactors: q, implicitItemFactors: y, solver: SolverParams(TrainingConfig()))
    }

    /// Fast path == reference, exactly, for one call.
    static func expectExact(_ m: MFModel, _ u: UserVector?, n: Int, exclude: [Int32] = [], include: [Int32]? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let top = try m.topN(user: u, n: n, excludeSorted: exclude, include: include)
        let ref = m.topNReference(user: u, n: n, excludeSorted: exclude, include: include)
        #expect(top == ref, "n=\(n) exclude=\(exclude.count) include=\(include?.count ?? -1)", sourceLocation: sourceLocation)
    }

    /// Every user, without and with excludes and `include` (duplicates, out-of-range ids).
    static func expectExactForAllUsers(_ m: MFModel, n: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for u in 0..<m.userCount {
            let user = m.user(Int32(u))
            let exclude = (0..<m.itemCount).filter { ($0 + u) % 5 == 0 }.map { Int32($0) }
            let include = (0..<m.itemCount).filter { ($0 * 7 + u) % 3 == 0 }.map { Int32($0) } + [-1, Int32(m.itemCount), 0, 0]
            try expectExact(m, user, n: n, sourceLocation: sourceLocation)
            try expectExact(m, user, n: n, exclude: exclude, sourceLocation: sourceLocation)
            try expectExact(m, user, n: n, include: include, sourceLocation: sourceLocation)
            try expectExact(m, user, n: n, exclude: exclude, include: include, sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [1, 10, 50], Kind.allCases)
    func prunedScanEqualsReference(n: Int, kind: Kind) throws {
        // k = 64: stages 8/16/32/64; 33: 8/16/32/33 (odd tail); 13: 8/13; 7: one stage (k < 8).
        for (k, items) in [(64, 1_003), (33, 517), (13, 300), (7, 203)] {
            let m = try Self.model(kind, items: items, users: 10, k: k, seed: UInt64(n * 100 + k))
            try Self.expectExactForAllUsers(m, n: n)
        }
    }

    /// Many short stages (a bound after every 4 dimensions), k not a multiple of 4.
    @Test(arguments: Kind.allCases)
    func manyStagesEqualReference(kind: Kind) throws {
        var m = try Self.model(kind, items: 611, users: 8, k: 22, seed: 5)
        m.rebuildDerived(stageEnds: [4, 8, 12, 16, 20, 22])
        for n in [1, 10, 50] { try Self.expectExactForAllUsers(m, n: n) }
    }

    /// Catalogues smaller than one block, and n larger than the catalogue.
    @Test(arguments: [1, 2, 3, 7, 8, 9])
    func tinyCatalogues(items: Int) throws {
        for k in [5, 20] {
            let m = try Self.model(.skewed, items: items, users: 3, k: k, seed: UInt64(items))
            for n in [1, 3, 10] {
                try Self.expectExactForAllUsers(m, n: n)
                try Self.expectExact(m, nil, n: n, exclude: [0], include: [0, 2, 99])
            }
            #expect(try m.topN(user: m.user(0), n: 10).count == items)
        }
    }

    /// The scan really prunes on structured models: fewer blocks completed than started,
    /// fewer dimensions than a full scan.
    @Test(arguments: Kind.allCases)
    func scanSkipsWork(kind: Kind) throws {
        let m = try Self.model(kind, items: 2_000, users: 10, k: 64, seed: 17)
        var stats = RankingScanStats()
        for u in 0..<m.userCount { _ = try m.topN(user: m.user(Int32(u)), n: 10, stats: &stats) }
        #expect(stats.scans == 10 && stats.blocks == 10 * 250)
        #expect(stats.blocksCompleted < stats.blocksScored && stats.blocksScored < stats.blocks)
        #expect(stats.blockDims < stats.blocksScored * 64)
        #expect(stats.blockDims >= stats.blocksScored * 8 + stats.blocksCompleted * 56)
    }
}
