/// Fold-in for implicit-feedback ALS models: the exact row solve of the
/// trainer's last epoch (Cholesky, like `implicit`'s `recalculate_user`).
extension FoldIn {
    /// (YᵀY + λI, XᵀX + λI) for implicit-ALS models, else empty.
    static func implicitGrams(_ model: MFModel) -> ([Float], [Float]) {
        guard let f = model.solver.implicitALS else { return ([], []) }
        let k = model.factors, ks = (k + 7) & ~7
        func gram(_ t: [Float], _ n: Int) -> [Float] {
            var g = [Float](repeating: 0, count: ks * ks)
            t.withUnsafeBufferPointer { tb in
                g.withUnsafeMutableBufferPointer {
                    Gram.fullRidge(rows: tb.baseAddress!, count: n, k: k, stride: ks, lambda: f.lambda, into: $0.baseAddress!)
                }
            }
            return g
        }
        return (gram(model.itemFactors, model.itemCount), gram(model.userFactors, model.userCount))
    }

    /// One row from raw values (filtered by the model's `ImplicitFeedback`)
    /// against the item table (`item` false) or the user table.
    func implicitRow(_ idx: [Int32], _ values: [Float], item: Bool) -> [Float] {
        ImplicitRowSolver.solveRow(idx, values, feedback: model.solver.implicitALS!, table: item ? model.userFactors : model.itemFactors,
                                   gram: item ? implicitItemGram : implicitUserGram, k: model.factors)
    }
}
