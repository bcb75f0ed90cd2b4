/// Principal components of factor rows, for `mfctl plot items`.
public enum PCA {
    public struct Projection: Equatable, Sendable {
        /// One (pc1, pc2) pair per input row.
        public var points: [(x: Double, y: Double)]
        /// Share of the total variance along each of the two components (0…1).
        public var explained: (Double, Double)

        public static func == (a: Projection, b: Projection) -> Bool {
            a.points.elementsEqual(b.points) { $0.x == $1.x && $0.y == $1.y } && a.explained == b.explained
        }
    }

    /// Projects `count` rows of `k` values (flat, row-major) onto their top two principal
    /// components. C = XᵀX/n of the centred rows (k×k); eigenvectors by power iteration
    /// with deflation (C ← C − λ v vᵀ). Deterministic; each vector's largest entry is positive.
    public static func project(_ rows: [Float], count: Int, k: Int, iterations: Int = 300) -> Projection {
        guard count > 0, k > 0, rows.count == count * k else { return Projection(points: [], explained: (0, 0)) }
        var mean = [Double](repeating: 0, count: k)
        for r in 0..<count { for j in 0..<k { mean[j] += Double(rows[r * k + j]) } }
        for j in 0..<k { mean[j] /= Double(count) }
        var cov = [Double](repeating: 0, count: k * k)
        var x = [Double](repeating: 0, count: k)
        for r in 0..<count {
            for j in 0..<k { x[j] = Double(rows[r * k + j]) - mean[j] }
            for a in 0..<k where x[a] != 0 { for b in 0..<k { cov[a * k + b] += x[a] * x[b] } }
        }
        for i in 0..<(k * k) { cov[i] /= Double(count) }
        let total = (0..<k).reduce(0.0) { $0 + cov[$1 * k + $1] }
        var vectors: [[Double]] = []
        var values: [Double] = []
        for _ in 0..<min(2, k) {
            let (v, lambda) = dominant(cov, k: k, iterations: iterations)
            vectors.append(v); values.append(lambda)
            for a in 0..<k { for b in 0..<k { cov[a * k + b] -= lambda * v[a] * v[b] } }
        }
        if vectors.count < 2 { vectors.append([Double](repeating: 0, count: k)); values.append(0) }
        let points = (0..<count).map { r -> (x: Double, y: Double) in
            var p = (x: 0.0, y: 0.0)
            for j in 0..<k {
                let c = Double(rows[r * k + j]) - mean[j]
                p.x += c * vectors[0][j]; p.y += c * vectors[1][j]
            }
            return p
        }
        let share = { (v: Double) in total > 0 ? max(0, v) / total : 0 }
        return Projection(points: points, explained: (share(values[0]), share(values[1])))
    }

    /// Dominant eigenpair of a symmetric positive semi-definite k×k matrix.
    static func dominant(_ m: [Double], k: Int, iterations: Int) -> ([Double], Double) {
        // A start vector with no symmetry, so it is not orthogonal to the answer by accident.
        var v = (0..<k).map { 1 + Double($0) / Double(k) }
        var lambda = 0.0
        for _ in 0..<iterations {
            var w = [Double](repeating: 0, count: k)
            for a in 0..<k { for b in 0..<k { w[a] += m[a * k + b] * v[b] } }
            let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 1e-300 else { return ([Double](repeating: 0, count: k), 0) }
            let next = w.map { $0 / norm }
            let delta = zip(next, v).reduce(0) { $0 + abs($1.0 - $1.1) }
            v = next
            lambda = norm
            if delta < 1e-12 { break }
        }
        if let big = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[big] < 0 { v = v.map { -$0 } }
        return (v, lambda)
    }
}
