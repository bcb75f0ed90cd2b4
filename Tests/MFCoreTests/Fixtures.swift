@testable import MFCore

/// Deterministic synthetic rating sets.
enum Fixtures {
    struct Triples {
        var users: [Int32] = [], items: [Int32] = [], ratings: [Float] = []
        mutating func add(_ u: Int, _ i: Int, _ r: Float) { users.append(Int32(u)); items.append(Int32(i)); ratings.append(r) }
        func matrix(userCount: Int? = nil, itemCount: Int? = nil) throws -> RatingMatrix {
            try RatingMatrix(users: users, items: items, ratings: ratings, userCount: userCount, itemCount: itemCount)
        }
    }

    /// r = 3 + b_u + b_i + p_u·q_i (+ noise) for a fraction `density` of cells.
    static func planted(users nu: Int, items ni: Int, rank k: Int, density: Double, noise: Float = 0, seed: UInt64 = 7) -> Triples {
        var rng = SeededRNG(seed: seed)
        let p = (0..<(nu * k)).map { _ in rng.nextGaussian() * 0.7 }
        let q = (0..<(ni * k)).map { _ in rng.nextGaussian() * 0.7 }
        let bu = (0..<nu).map { _ in rng.nextGaussian() * 0.3 }
        let bi = (0..<ni).map { _ in rng.nextGaussian() * 0.3 }
        var t = Triples()
        for u in 0..<nu {
            for i in 0..<ni where Double(rng.nextUnit()) < density {
                var r: Float = 3 + bu[u] + bi[i]
                for c in 0..<k { r += p[u * k + c] * q[i * k + c] }
                t.add(u, i, r + noise * rng.nextGaussian())
            }
        }
        return t
    }

    /// Small random explicit data set with skewed item popularity (1..5 stars).
    static func sparse(users nu: Int = 60, items ni: Int = 80, perUser: ClosedRange<Int> = 1...30, seed: UInt64 = 11) -> Triples {
        var rng = SeededRNG(seed: seed)
        var t = Triples()
        for u in 0..<nu {
            let n = perUser.lowerBound + Int(rng.next() % UInt64(perUser.count))
            var seen = Set<Int>()
            while seen.count < min(n, ni) {
                let x = rng.nextUnit()
                seen.insert(min(ni - 1, Int(x * x * Float(ni))))
            }
            for i in seen.sorted() { t.add(u, i, Float(1 + Int(rng.next() % 5))) }
        }
        return t
    }

    static func config(k: Int, iterations: Int, threads: Int = 1) -> TrainingConfig {
        var c = TrainingConfig()
        c.factors = k; c.iterations = iterations; c.threads = threads
        return c
    }
}

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
