/// Factor rows as three little-endian columns, the byte layout of the `.npy`
/// interchange files (docs/scale-out.md): `ids` int64 × n, `biases` float32 × n,
/// `factors` float32 × n·k (row-major). `import_model_rows` carries them as
/// `ids_base64`, `biases_base64` and `factors_base64`; the daemon copies the
/// bytes into its arrays without parsing a number.
public struct FactorColumns: Sendable, Equatable {
    public var ids: [UInt8]
    public var biases: [UInt8]
    public var factors: [UInt8]

    /// Rows in the block (`ids` holds 8 bytes per row).
    public var count: Int { ids.count / 8 }

    /// Checks the lengths agree with one another (k is checked against the manifest by the daemon).
    public init(ids: [UInt8], biases: [UInt8], factors: [UInt8]) throws(WireError) {
        guard ids.count % 8 == 0 else {
            throw WireError(.invalidValue, "ids_base64 holds \(ids.count) bytes, not a multiple of 8 (int64)", field: "ids_base64")
        }
        guard biases.count == ids.count / 2 else {
            throw WireError(.invalidValue, "biases_base64 holds \(biases.count) bytes; \(ids.count / 8) rows need \(ids.count / 2) (float32)",
                            field: "biases_base64")
        }
        guard factors.count % 4 == 0, ids.isEmpty ? factors.isEmpty : factors.count % (ids.count / 2) == 0 else {
            throw WireError(.invalidValue, "factors_base64 holds \(factors.count) bytes, not \(ids.count / 8) rows of whole float32 factors",
                            field: "factors_base64")
        }
        self.ids = ids; self.biases = biases; self.factors = factors
    }

    /// Factors per row (0 for an empty block).
    public var k: Int { ids.isEmpty ? 0 : factors.count / (ids.count / 2) }

    /// The block of `rows` (all with the same number of factors), as a sender builds it.
    public init(rows: [FactorRow]) throws(WireError) {
        var ids: [UInt8] = [], biases: [UInt8] = [], factors: [UInt8] = []
        for r in rows {
            withUnsafeBytes(of: r.id.littleEndian) { ids.append(contentsOf: $0) }
            withUnsafeBytes(of: r.bias.bitPattern.littleEndian) { biases.append(contentsOf: $0) }
            for f in r.factors { withUnsafeBytes(of: f.bitPattern.littleEndian) { factors.append(contentsOf: $0) } }
        }
        try self.init(ids: ids, biases: biases, factors: factors)
    }

    /// Appends the ids to `out` (a memory copy on little-endian hosts).
    public func appendIDs(to out: inout [Int64]) { Self.append(ids, to: &out) }
    /// Appends the biases to `out`.
    public func appendBiases(to out: inout [Float]) { Self.append(biases, to: &out) }
    /// Appends the factors to `out`.
    public func appendFactors(to out: inout [Float]) { Self.append(factors, to: &out) }

    static func append<T: LittleEndianValue>(_ bytes: [UInt8], to out: inout [T]) {
        let n = bytes.count / MemoryLayout<T>.size
        let start = out.count
        out.append(contentsOf: repeatElement(T.zero, count: n))
        out.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in
                dst.baseAddress!.advanced(by: start * MemoryLayout<T>.size).copyMemory(from: src.baseAddress!, byteCount: bytes.count)
            }
        }
        #if _endian(big)
        for i in start..<out.count { out[i] = out[i].fromLittleEndian }
        #endif
    }
}

/// Int64 and Float, read from little-endian bytes.
protocol LittleEndianValue { static var zero: Self { get }; var fromLittleEndian: Self { get } }
extension Int64: LittleEndianValue { var fromLittleEndian: Int64 { Int64(littleEndian: self) } }
extension Float: LittleEndianValue { var fromLittleEndian: Float { Float(bitPattern: UInt32(littleEndian: bitPattern)) } }
