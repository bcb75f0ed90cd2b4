/// Fold-in of the ranker's rows: the exact implicit-ALS row solve of its
/// training's last sweep, against ZᵀZ + λI (users) or XᵀX + λI (items).
extension FoldIn {
    /// (ZᵀZ + λI, XᵀX + λI) of the model's ranker (stride (k+7)&~7), else empty.
    static func rankerGrams(_ model: MFModel) -> ([Float], [Float]) {
        guard let r = model.ranker else { return ([], []) }
        let k = model.factors, lambda = r.feedback.lambda
        return (ridgeGram(r.itemFactors, count: model.itemCount, k: k, lambda: lambda),
                ridgeGram(r.userFactors, count: model.userCount, k: k, lambda: lambda))
    }

    /// The ranker row of a user (`item` false: against z_i) or an item (against x_u)
    /// from raw rating values; empty when the model has no ranker.
    func rankerRow(_ idx: [Int32], _ values: [Float], item: Bool) -> [Float] {
        guard let r = model.ranker else { return [] }
        let table = item ? r.userFactors : r.itemFactors
        return ImplicitRowSolver.solveRow(idx, values, feedback: r.feedback, table: table,
                                          gram: item ? rankerItemGram : rankerUserGram, k: model.factors)
    }
}

extension ImplicitRowSolver {
    /// One exact row solve from raw values (kept where `feedback` calls them interactions)
    /// against `table` with the cached `gram` = FᵀF + λI; no interactions gives zeros.
    static func solveRow(_ idx: [Int32], _ values: [Float], feedback f: ImplicitFeedback, table: [Float],
                         gram: [Float], k: Int) -> [Float] {
        var nb: [Int32] = [], st: [Float] = []
        for (j, v) in values.enumerated() { if let s = f.strength(v) { nb.append(idx[j]); st.append(s) } }
        var out = [Float](repeating: 0, count: k)
        guard !nb.isEmpty else { return out }
        let solver = ImplicitRowSolver(k: k)
        nb.withUnsafeBufferPointer { n in
            st.withUnsafeBufferPointer { s in
                table.withUnsafeBufferPointer { t in
                    gram.withUnsafeBufferPointer { g in
                        out.withUnsafeMutableBufferPointer { o in
                            solver.solve(neighbors: n, strengths: s, factors: t.baseAddress!, gram: g.baseAddress!,
                                         alpha: f.alpha, out: o.baseAddress!, cgSteps: 0)
                        }
                    }
                }
            }
        }
        return out
    }
}
