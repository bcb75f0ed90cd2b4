/// Fold-in for implicit-feedback ALS models: the exact row solve of the
/// trainer's last epoch (Cholesky, like `implicit`'s `recalculate_user`).
extension FoldIn {
    /// (YᵀY + λI, XᵀX + λI) for implicit-ALS models, else empty.
    static func implicitGrams(_ model: MFModel) -> ([Float], [Float]) {
        guard let f = model.solver.implicitALS else { return ([], []) }
        let k = model.factors
        return (ridgeGram(model.itemFactors, count: model.itemCount, k: k, lambda: f.lambda),
                ridgeGram(model.userFactors, count: model.userCount, k: k, lambda: f.lambda))
    }

    /// FᵀF + λI of `count` rows of k (full, stride (k+7)&~7): what an implicit row solve takes.
    static func ridgeGram(_ rows: [Float], count: Int, k: Int, lambda: Float) -> [Float] {
        let ks = (k + 7) & ~7
        var g = [Float](repeating: 0, count: ks * ks)
        rows.withUnsafeBufferPointer { tb in
            g.withUnsafeMutableBufferPointer {
                Gram.fullRidge(rows: tb.baseAddress!, count: count, k: k, stride: ks, lambda: lambda, into: $0.baseAddress!)
            }
        }
        return g
    }

    /// One row from raw values (filtered by the model's `ImplicitFeedback`)
    /// against the item table (`item` false) or the user table.
    func implicitRow(_ idx: [Int32], _ values: [Float], item: Bool) -> [Float] {
        ImplicitRowSolver.solveRow(idx, values, feedback: model.solver.implicitALS!, table: item ? model.userFactors : model.itemFactors,
                                   gram: item ? implicitItemGram : implicitUserGram, k: model.factors)
    }
}
