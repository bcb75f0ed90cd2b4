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
    static func encode(_ attributes: [String: SideValue], _ block: AttributeBlock?) throws -> FoldInAttributes {
        guard let block, !attributes.isEmpty else { return FoldInAttributes() }
        return FoldInAttributes(encoded: try block.encoder.encode(attributes), block: block)
    }
}
