/// A row's encoded attributes with the block they belong to, ready for `RowSolver`.
struct FoldInAttributes {
    var encoded = EncodedAttributes()
    var block: AttributeBlock?

    /// Calls `body(columns, values, attributeFactors, weight)`; without a block
    /// (or attributes) the factors pointer is nil and the row solve ignores attributes.
    func solve<R>(_ body: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Float>, UnsafePointer<Float>?, Float) -> R) -> R {
        guard let block, !encoded.columns.isEmpty else {
            return body(UnsafeBufferPointer(start: nil, count: 0), UnsafeBufferPointer(start: nil, count: 0), nil, 0)
        }
        return encoded.columns.withUnsafeBufferPointer { c in
            encoded.values.withUnsafeBufferPointer { v in
                block.factors.withUnsafeBufferPointer { f in body(c, v, f.baseAddress, block.weight) }
            }
        }
    }
}

extension FoldIn {
    /// Encodes attributes with the model's fitted encoder; attributes are
    /// ignored when the model has no side information for that side.
    /// - Throws: `invalid_attribute`.
    static func encode(_ attributes: [String: AttributeValue], _ block: AttributeBlock?) throws -> FoldInAttributes {
        guard let block, !attributes.isEmpty else { return FoldInAttributes() }
        return FoldInAttributes(encoded: try block.encoder.encode(attributes), block: block)
    }
}

extension FoldInAttributes {
    /// For a row with no ratings whose block has a prior: the same attributes
    /// with targets u_j − c_j·p̄, so the solve gives δ = p − p̄ (see `AttributePrior`).
    func shiftedByPrior(k: Int) -> (attributes: FoldInAttributes, prior: AttributePrior)? {
        guard let block, let prior = block.prior, !encoded.columns.isEmpty, prior.meanFactors.count == k else { return nil }
        var a = self
        for (j, c) in encoded.columns.enumerated() {
            let row = Int(c) * k
            var dot: Float = 0
            for d in 0..<k { dot += block.factors[row + d] * prior.meanFactors[d] }
            a.encoded.values[j] -= dot
        }
        return (a, prior)
    }
}

extension FoldIn {
    /// The attribute-block solve of a row; with no ratings and a prior,
    /// p = p̄ + δ and b = b̂(attributes) instead of the zero-centred solve.
    func solveWithPrior(_ neighbors: [Int32], _ ratings: [Float], attributes attr: FoldInAttributes,
                        _ solve: (FoldInAttributes) -> ([Float], Float)) -> ([Float], Float) {
        guard neighbors.isEmpty, let (shifted, prior) = attr.shiftedByPrior(k: model.factors) else { return solve(attr) }
        var (out, _) = solve(shifted)
        for d in 0..<model.factors { out[d] += prior.meanFactors[d] }
        return (out, prior.bias(attr.encoded))
    }
}

extension FoldIn {
    /// A row with no ratings: its implicit factors regressed on its attributes
    /// (ŷ, see `AttributePrior`) instead of the zero vector `solved`.
    func implicitWithPrior(_ neighbors: [Int32], attributes attr: FoldInAttributes, solved: [Float]) -> [Float] {
        guard neighbors.isEmpty, !solved.isEmpty, let p = attr.block?.prior, !attr.encoded.columns.isEmpty else { return solved }
        let y = p.implicitFactors(attr.encoded, k: model.factors)
        return y.isEmpty ? solved : y
    }
}
