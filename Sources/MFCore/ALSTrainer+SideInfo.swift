/// One side's attribute block while training collective MF (cmfrec's objective):
///   w ‖M ⊙ (U − A Cᵀ)‖² + λ_C ‖C‖²
/// U is the encoded attribute matrix (rows = users or items, CSR), M its
/// observed mask, A that side's factors. Row solves see the block through
/// `RowSide.attributeFactors`; the attribute factors C are refitted per epoch,
/// one ridge regression per column over the rows that observe it:
///   c_j = (Σ_{r∈obs(j)} a_r a_rᵀ + (λ_C/w) I)⁻¹ Σ_{r∈obs(j)} u_rj a_r
final class AttributeFactors {
    let encoder: SideInfoEncoder
    let k: Int, ks: Int, width: Int, weight: Float, lambda: Float
    /// By row: attributes of row r are `offsets[r] ..< offsets[r+1]`.
    let offsets: [Int], columns: [Int32], values: [Float]
    /// By column: rows observing column j, ascending, and their values.
    let colOffsets: [Int], colRows: [Int32], colValues: [Float]
    /// Rows with at least one observed attribute.
    let anyRows: [Int32]
    /// C, `width × k` row-major.
    let c: UnsafeMutablePointer<Float>

    /// Encodes `rows` (index = row; `count` rows in all) with an encoder fitted on them.
    init(rows: [[String: AttributeValue]], count: Int, separator: String?, k: Int, weight: Float, lambda: Float) throws {
        encoder = try SideInfoEncoder(fitting: Array(rows.prefix(count)), separator: separator)
        self.k = k; ks = (k + 7) & ~7; width = encoder.width; self.weight = weight; self.lambda = lambda
        var off = [0], cols: [Int32] = [], vals: [Float] = [], any: [Int32] = []
        for r in 0..<count {
            let e = r < rows.count ? try encoder.encode(rows[r]) : EncodedAttributes()
            cols += e.columns; vals += e.values; off.append(cols.count)
            if !e.columns.isEmpty { any.append(Int32(r)) }
        }
        offsets = off; columns = cols; values = vals; anyRows = any
        var coff = [Int](repeating: 0, count: width + 1)
        for j in cols { coff[Int(j) + 1] += 1 }
        for j in 0..<width { coff[j + 1] += coff[j] }
        var pos = coff, crow = [Int32](repeating: 0, count: cols.count), cval = [Float](repeating: 0, count: cols.count)
        for r in 0..<count {
            for p in off[r]..<off[r + 1] {
                let j = Int(cols[p]); crow[pos[j]] = Int32(r); cval[pos[j]] = vals[p]; pos[j] += 1
            }
        }
        colOffsets = coff; colRows = crow; colValues = cval
        c = .allocate(capacity: max(width * k, 1))
        c.update(repeating: 0, count: max(width * k, 1))
    }

    deinit { c.deallocate() }

    /// Adds `sign`·Σ a_r a_rᵀ over `rows` (upper triangle, stride ks) into g.
    private func addGram(_ rows: [Int32], _ a: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>, sign: Float) {
        let k = self.k, ks = self.ks, block = 256
        let buf = UnsafeMutablePointer<Float>.allocate(capacity: block * ks)
        defer { buf.deallocate() }
        buf.update(repeating: 0, count: block * ks)
        var start = 0
        while start < rows.count {
            let m = min(block, rows.count - start)
            for j in 0..<m {
                let src = a + Int(rows[start + j]) * k
                for c in 0..<k { buf[j * ks + c] = src[c] }
            }
            if sign < 0 {
                // −Σ a aᵀ (few rows): rank-1 updates of the upper triangle.
                for j in 0..<m { for r in 0..<k { Kernels.axpy(-buf[j * ks + r], buf + j * ks + r, g + r * ks + r, k - r) } }
            } else {
                Kernels.syrkUpper(buf, rows: m, dim: k, stride: ks, into: g)
            }
            start += m
        }
    }

    /// Refits every c_j against the current factors `a` of this side.
    func update(from a: UnsafePointer<Float>) {
        let k = self.k, ks = self.ks
        let all = UnsafeMutablePointer<Float>.allocate(capacity: ks * ks), g = UnsafeMutablePointer<Float>.allocate(capacity: ks * ks)
        let rhs = UnsafeMutablePointer<Float>.allocate(capacity: ks)
        defer { all.deallocate(); g.deallocate(); rhs.deallocate() }
        all.update(repeating: 0, count: ks * ks)
        addGram(anyRows, a, all, sign: 1)
        for j in 0..<width {
            let lo = colOffsets[j], hi = colOffsets[j + 1]
            // Rows with attributes that do not observe column j (usually none): subtract them.
            var missing: [Int32] = [], p = lo
            for r in anyRows {
                while p < hi && colRows[p] < r { p += 1 }
                if p < hi && colRows[p] == r { continue }
                missing.append(r)
            }
            g.update(from: all, count: ks * ks)
            if !missing.isEmpty { addGram(missing, a, g, sign: -1) }
            for d in 0..<k { g[d * ks + d] += lambda / weight }
            rhs.update(repeating: 0, count: ks)
            for q in lo..<hi { Kernels.axpy(colValues[q], a + Int(colRows[q]) * k, rhs, k) }
            if Kernels.choleskyUpper(g, dim: k, stride: ks) {
                Kernels.choleskySolve(g, dim: k, stride: ks, rhs)
                (c + j * k).update(from: rhs, count: k)
            }
        }
    }

    /// w Σ_obs (u − a·c)² + λ_C ‖C‖².
    func loss(_ a: UnsafePointer<Float>, rows: Int) -> Double {
        var s = 0.0
        for r in 0..<rows {
            for p in offsets[r]..<offsets[r + 1] {
                let e = Double(values[p] - Kernels.dot(a + r * k, c + Int(columns[p]) * k, k))
                s += Double(weight) * e * e
            }
        }
        return s + Double(lambda) * Double(Kernels.dot(c, c, width * k))
    }

    var block: AttributeBlock {
        AttributeBlock(encoder: encoder, factors: Array(UnsafeBufferPointer(start: c, count: width * k)), weight: weight)
    }
}

extension MFTrainer {
    /// Trains collective MF: biased ALS on `data` jointly with the user and
    /// item attribute blocks of `sideInfo` (weights in `config.sideInfo`).
    /// The model keeps both encoders and attribute factors for cold start.
    /// - Throws: `invalid_config` unless `config.algorithm == .als`,
    ///   `invalid_attribute` for a bad attribute value, or what `train` throws.
    public static func train(_ data: RatingMatrix, sideInfo: SideInfo, config: TrainingConfig, holdout: HoldoutRatings? = nil,
                             warmStart: WarmStart? = nil, onEpoch: ((EpochReport) -> Bool)? = nil) throws -> MFModel {
        try config.validate()
        try holdout.map { try check($0, data) }
        try check(warmStart, data, config)
        guard config.algorithm == .als else {
            throw MFCoreError.invalidConfig(field: "algorithm", reason: "side information needs algorithm als")
        }
        let t = ALSTrainer(data: data, config: config)
        t.holdout = holdout
        warmStart.map(t.begin(from:))
        let s = config.sideInfo
        if !sideInfo.users.isEmpty && s.userWeight > 0 {
            t.userAttributes = try AttributeFactors(rows: sideInfo.users, count: data.userCount, separator: sideInfo.separator,
                                                    k: config.factors, weight: s.userWeight, lambda: s.lambda)
        }
        if !sideInfo.items.isEmpty && s.itemWeight > 0 {
            t.itemAttributes = try AttributeFactors(rows: sideInfo.items, count: data.itemCount, separator: sideInfo.separator,
                                                    k: config.factors, weight: s.itemWeight, lambda: s.lambda)
        }
        return try withRanker(t.run(onEpoch: onEpoch), data, config, warmStart)
    }
}
