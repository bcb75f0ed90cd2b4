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
        let f = model.solver.implicitALS!, k = model.factors
        var nb: [Int32] = [], st: [Float] = []
        for (j, v) in values.enumerated() { if let s = f.strength(v) { nb.append(idx[j]); st.append(s) } }
        var out = [Float](repeating: 0, count: k)
        let table = item ? model.userFactors : model.itemFactors
        let gram = item ? implicitItemGram : implicitUserGram
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
