import Foundation

/// Compares two JSON texts structurally: key order ignored, `null` equal to an absent
/// key, numbers equal within a relative 1e-6 (Float results re-encode exactly, but be safe).
enum JSONTree {
    static func parse(_ bytes: [UInt8]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case (let x as [String: Any], let y as [String: Any]):
            let kx = Set(x.filter { !($0.value is NSNull) }.keys)
            let ky = Set(y.filter { !($0.value is NSNull) }.keys)
            return kx == ky && kx.allSatisfy { equal(x[$0]!, y[$0]!) }
        case (let x as [Any], let y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (let x as String, let y as String):
            return x == y
        case (is NSNull, is NSNull):
            return true
        case (let x as NSNumber, let y as NSNumber):
            let dx = x.doubleValue, dy = y.doubleValue
            return dx == dy || abs(dx - dy) <= 1e-6 * max(abs(dx), abs(dy))
        default:
            return false
        }
    }

    /// The differing paths, for failure messages.
    static func describe(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
