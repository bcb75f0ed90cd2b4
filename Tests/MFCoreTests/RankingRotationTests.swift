import Foundation
import Testing
@testable import MFCore

/// The rotation is orthogonal, ordered by energy and deterministic; the stored bounds
/// really bound the stored vectors; trained models rank exactly as the reference.
@Suite struct RankingRotationTests {
    @Test func jacobiDiagonalizes() {
        var rng = SeededRNG(seed: 4)
        let k = 9
        let b = (0..<(k * k)).map { _ in Double(rng.nextGaussian()) }
        var a = [Double](repeating: 0, count: k * k)  // A = BᵀB, symmetric PSD
        for i in 0..<k { for j in 0..<k { for r in 0..<k { a[i * k + j] += b[r * k + i] * b[r * k + j] } } }
        let (values, v) = SymmetricEigen.jacobi(a, k)
        for i in 0..<k {
            for j in 0..<k {
                var vvt = 0.0, rec = 0.0
                for e in 0..<k { vvt += v[i * k + e] * v[j * k + e]; rec += v[i * k + e] * values[e] * v[j * k + e] }
                #expect(abs(vvt - (i == j ? 1 : 0)) < 1e-10)
                #expect(abs(rec - a[i * k + j]) < 1e-9 * (1 + abs(a[i * k + j])))
            }
        }
    }

    @Test(arguments: [1, 7, 16, 33])
    func fittedRotationIsOrthogonalAndOrderedByEnergy(k: Int) throws {
        let m = try RankingPruningTests.model(.clustered, items: 400, users: 3, k: k, seed: UInt64(k))
        let r = m.rankingRotation
        for i in 0..<k {
            for j in 0..<k {
                let d = (0..<k).reduce(Float(0)) { $0 + r.columns[$1 * r.stride + i] * r.columns[$1 * r.stride + j] }
                #expect(abs(d - (i == j ? 1 : 0)) < 1e-5)
            }
        }
        // Item and user energy per rotated dimension, each normalized to sum 1: their sum decreases.
        var items = [Float](repeating: 0, count: k), users = items
        for i in 0..<m.itemCount { for (c, h) in m.rankingRotation.applyReference(m.rankingVector(Int32(i))).enumerated() { items[c] += h * h } }
        for u in 0..<m.userCount { for (c, h) in m.rankingRotation.applyReference(m.user(Int32(u)).factors).enumerated() { users[c] += h * h } }
        let ti = items.reduce(0, +), tu = users.reduce(0, +)
        let energy = (0..<k).map { items[$0] / ti + users[$0] / tu }
        for c in 1..<max(k, 1) { #expect(energy[c] <= energy[c - 1] + 1e-4) }
        let again = try RankingPruningTests.model(.clustered, items: 400, users: 3, k: k, seed: UInt64(k))
        #expect(again.rankingRotation == r && again.rankingBlocks == m.rankingBlocks)
    }

    /// The SIMD rotation of the user equals the scalar reference bitwise; Rᵀ undoes R.
    @Test func applyMatchesReference() throws {
        var rng = SeededRNG(seed: 6)
        for k in [3, 8, 13, 64] {
            let m = try RankingPruningTests.model(.skewed, items: 50, users: 2, k: k, seed: UInt64(k))
            let v = (0..<k).map { _ in rng.nextGaussian() }
            var out = [Float](repeating: .nan, count: m.rankingRotation.stride)
            v.withUnsafeBufferPointer { vb in out.withUnsafeMutableBufferPointer { m.rankingRotation.apply(vb.baseAddress!, into: $0.baseAddress!) } }
            #expect(Array(out.prefix(k)) == m.rankingRotation.applyReference(v))
            #expect(out.dropFirst(k).allSatisfy { $0 == 0 })
            #expect(maxAbsDiff(m.rankingRotation.inverse(Array(out.prefix(k))), v) < 1e-5)
        }
    }

    /// Block maxima and per-lane tail norms bound the stored Float16 vectors.
    @Test func storedBoundsCoverEveryLane() throws {
        let m = try RankingPruningTests.model(.skewed, items: 517, users: 3, k: 40, seed: 9)
        let ends = m.rankingStageEnds, tails = ends.count - 1
        #expect(ends == [8, 16, 32, 40])
        #expect(Set(m.rankingItemOfSlot) == Set((0..<517).map { Int32($0) }))
        for (s, i) in m.rankingItemOfSlot.enumerated() { #expect(m.rankingSlotOfItem[Int(i)] == Int32(s)) }
        for s in 0..<m.itemCount {
            let i = m.rankingItemOfSlot[s], h = m.storedRankingVector(i), b = s / 8
            func norm(_ x: ArraySlice<Float>) -> Float { x.reduce(0) { $0 + $1 * $1 }.squareRoot() }
            #expect(norm(h[...]) <= m.rankingBounds[.maxNorm, b] * 1.0001)
            #expect(m.ranking.itemBiasWeight * m.itemBias[Int(i)] <= m.rankingBounds[.maxBias, b])
            for j in 0..<tails { #expect(norm(h[ends[j]...]) <= m.rankingTailNorms[(b * tails + j) * 8 + s % 8] * 1.0001) }
            #expect(maxAbsDiff(m.rankingRotation.inverse(h), m.rankingVector(i)) < 1e-2 * (1 + norm(h[...])))
        }
    }

    /// Suffix maxima really are the maxima over blocks ≥ b, also after items change and grow.
    @Test func suffixMaximaFollowUpdates() throws {
        var m = try RankingPruningTests.model(.skewed, items: 150, users: 3, k: 8, seed: 2)
        func check() {
            let x = m.rankingBounds
            for b in 0..<x.capacity {
                for (own, suf) in [(RankingBlockBounds.Plane.maxNorm, RankingBlockBounds.Plane.suffixNorm),
                                   (.maxBias, .suffixBias), (.maxAbsBias, .suffixAbsBias)] {
                    #expect(x[suf, b] == (b..<x.capacity).map { x[own, $0] }.max()!, "block \(b) \(suf)")
                }
            }
        }
        check()
        let last = m.rankingItemOfSlot[m.itemCount - 1]
        try m.setItem(last, ItemVector(factors: [Float](repeating: 9, count: 8), bias: 5, implicitFactors: [Float](repeating: 0, count: 8)))
        check()
        try m.setItem(last, ItemVector(factors: [Float](repeating: 0, count: 8), bias: -5, implicitFactors: [Float](repeating: 0, count: 8)))
        check()
        for j in 0..<20 { try m.appendItem(ItemVector(factors: [Float](repeating: Float(j % 3), count: 8), bias: Float(j) - 10)) }
        check()
        #expect(m.rankingBounds.capacity == 24)
    }

    /// A model trained on the real split (skips without ../shared): every 12th user's
    /// top-10 and top-50, train items excluded, equal the reference.
    @Test func trainedModelEqualsReference() throws {
        guard let s = try SharedSplitTests.load("ml-latest-small-2016") else {
            print("skip: \(SharedSplitTests.splits.path)/ml-latest-small-2016 not found")
            return
        }
        let m = try MFTrainer.train(s.train, config: Fixtures.config(k: 16, iterations: 2, threads: 2))
        var stats = RankingScanStats()
        for u in Swift.stride(from: 0, to: m.userCount, by: 12) {
            let seen = s.train.items(ofUser: u).sorted()
            for n in [10, 50] {
                let top = try m.topN(user: m.user(Int32(u)), n: n, excludeSorted: seen, stats: &stats)
                #expect(top == m.topNReference(user: m.user(Int32(u)), n: n, excludeSorted: seen), "user \(u) n \(n)")
            }
        }
        #expect(stats.blocksScored < stats.blocks)
    }
}
