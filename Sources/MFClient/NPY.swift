import Foundation

/// NumPy `.npy` v1.0 headers (C order, little-endian), so factor exports load with `numpy.load`.
public enum NPY {
    public enum DType: String, Sendable { case float32 = "<f4", int64 = "<i8" }

    /// The full header: magic, version 1.0, header length, and the dict padded so data starts at a multiple of 64.
    public static func header(dtype: DType, shape: [Int]) -> [UInt8] {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(dims), }"
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let len = UInt16(dict.utf8.count)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(len & 0xFF), UInt8(len >> 8)] + Array(dict.utf8)
    }

    /// Parses a v1.0 header back: (dtype string, shape, data offset); nil if malformed.
    public static func parseHeader(_ bytes: [UInt8]) -> (descr: String, shape: [Int], dataOffset: Int)? {
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8), bytes[6] == 1 else { return nil }
        let len = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + len, (10 + len) % 64 == 0 else { return nil }
        let text = String(decoding: bytes[10..<(10 + len)], as: UTF8.self)
        guard text.hasSuffix("\n"), let d = text.range(of: "'descr': '"), let s = text.range(of: "'shape': ("),
              text.contains("'fortran_order': False") else { return nil }
        let descr = text[d.upperBound...].prefix { $0 != "'" }
        let dims = text[s.upperBound...].prefix { $0 != ")" }
        let shape = dims.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        return (String(descr), shape, 10 + len)
    }

    public static func append(_ values: [Float], to out: inout [UInt8]) {
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
    }

    public static func append(_ value: Int64, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }
}
