/// Byte-level parsers for import fields: no String allocation on the hot path.
enum FieldParsing {
    private static let pow10: [Double] = (0...22).map { (0..<$0).reduce(1.0) { r, _ in r * 10 } }

    private static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = b.count
        while lo < hi && (b[lo] == 0x20 || b[lo] == 0x09) { lo += 1 }
        while hi > lo && (b[hi - 1] == 0x20 || b[hi - 1] == 0x09) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: b[lo..<hi])
    }

    /// Consumes an optional leading sign; true for '-'.
    private static func sign(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Bool {
        guard i < b.count && (b[i] == 0x2D || b[i] == 0x2B) else { return false }
        i += 1
        return b[i - 1] == 0x2D
    }

    /// A decimal integer with optional sign; nil on anything else or overflow.
    static func int64(_ raw: UnsafeBufferPointer<UInt8>) -> Int64? {
        let b = trimmed(raw)
        var i = 0
        let negative = sign(b, &i)
        guard i < b.count else { return nil }
        var value: Int64 = 0
        while i < b.count {
            let d = b[i] &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            guard !o1 && !o2 else { return nil }
            value = s
            i += 1
        }
        return value
    }

    /// A decimal number. Plain `[-]digits[.digits]` up to 15 significant digits is
    /// parsed exactly (mantissa / 10^frac, both exact in Double, one rounding);
    /// anything else (exponents, long mantissas, nan/inf) goes through `Double(String)`.
    static func double(_ raw: UnsafeBufferPointer<UInt8>) -> Double? {
        let b = trimmed(raw)
        var i = 0
        let negative = sign(b, &i)
        var mantissa: Int64 = 0
        var digits = 0
        var fraction = 0
        var seenDot = false
        while i < b.count {
            let c = b[i]
            if c == 0x2E && !seenDot {
                seenDot = true
            } else if c &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ Int64(c &- 0x30)
                digits += 1
                if seenDot { fraction += 1 }
            } else {
                return slowDouble(b)
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        if digits > 15 { return slowDouble(b) }
        let value = Double(mantissa) / pow10[fraction]
        return negative ? -value : value
    }

    private static func slowDouble(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let s = String(validating: b, as: UTF8.self) else { return nil }
        return Double(s)
    }

    /// UTF-8 text, or nil when the bytes are not valid UTF-8.
    static func utf8(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        String(validating: b, as: UTF8.self)
    }

    /// Latin-1 text (every byte is a code point).
    static func latin1(_ b: UnsafeBufferPointer<UInt8>) -> String {
        if !b.contains(where: { $0 >= 0x80 }) { return String(decoding: b, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for byte in b { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }
}
