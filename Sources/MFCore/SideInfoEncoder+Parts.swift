/// The encoder as a Float array, so it travels in `ModelParts` (the store
/// keeps only Float32 arrays and Double scalars). Strings are UTF-8 bytes,
/// one byte per Float (exact); numbers are the Float statistics themselves.
///   [version 1, separator, columnCount, per column: name, kind, mean, scale,
///    categoryCount, per category: frequency, name]
/// where a string is [byteCount, bytes…] and a nil separator has byteCount −1.
extension SideInfoEncoder {
    public func serialized() -> [Float] {
        var a: [Float] = [1]
        func str(_ s: String?) {
            guard let s else { a.append(-1); return }
            let b = Array(s.utf8)
            a.append(Float(b.count)); a.append(contentsOf: b.map(Float.init))
        }
        str(separator)
        a.append(Float(columns.count))
        for c in columns {
            str(c.name); a.append(Float(c.kind.rawValue)); a.append(c.mean); a.append(c.scale)
            a.append(Float(c.categories.count))
            for (j, name) in c.categories.enumerated() { a.append(c.frequencies[j]); str(name) }
        }
        return a
    }

    /// Reads `serialized()` output; `field` names the part in errors.
    /// - Throws: `invalid_model_parts`.
    public init(serialized a: [Float], field: String) throws {
        var i = 0
        func bad() -> MFCoreError { .invalidModelParts(field: field, reason: "malformed attribute encoder at value \(i)") }
        func num() throws -> Float { guard i < a.count, a[i].isFinite else { throw bad() }; i += 1; return a[i - 1] }
        func int() throws -> Int {
            let v = try num()
            guard v == v.rounded(), v >= -1, v < 1e7 else { throw bad() }
            return Int(v)
        }
        func str() throws -> String? {
            let n = try int()
            if n < 0 { return nil }
            guard i + n <= a.count else { throw bad() }
            var b: [UInt8] = []
            for v in a[i..<i + n] { guard v >= 0, v <= 255, v == v.rounded() else { throw bad() }; b.append(UInt8(v)) }
            i += n
            return String(decoding: b, as: UTF8.self)
        }
        guard try int() == 1 else { throw MFCoreError.invalidModelParts(field: field, reason: "unsupported encoder version") }
        let sep = try str()
        var cols: [Column] = [], offset = 0
        for _ in 0..<max(try int(), 0) {
            guard let name = try str(), let kind = Kind(rawValue: try int()) else { throw bad() }
            let mean = try num(), scale = try num()
            var cats: [String] = [], freqs: [Float] = []
            for _ in 0..<max(try int(), 0) {
                freqs.append(try num())
                guard let c = try str() else { throw bad() }
                cats.append(c)
            }
            let col = Column(name: name, kind: kind, mean: mean, scale: scale, categories: cats, frequencies: freqs, offset: offset)
            offset += col.width
            cols.append(col)
        }
        guard i == a.count else { throw bad() }
        self.init(columns: cols, separator: sep)
    }
}
