/// A strict RFC 8259 JSON parser over raw bytes, written for request lines:
/// one pass, no Foundation, never traps. Depth is capped (`nesting_too_deep`),
/// NaN/Infinity/comments and malformed escapes are rejected (`invalid_json`), and
/// numbers are validated but only converted when a field asks for them.
/// Like JSONDecoder, it skips a leading UTF-8 BOM and accepts one trailing comma
/// in objects and arrays (`{"op":"ping",}`), so no request that worked before breaks.
struct JSONScanner {
    private let bytes: UnsafeRawBufferPointer
    private var i = 0
    private let maxDepth: Int

    init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = WireProtocol.maxDepth) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Parses one complete JSON text (surrounding whitespace allowed).
    static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = WireProtocol.maxDepth) throws(WireError) -> JSONValue {
        var s = JSONScanner(bytes, maxDepth: maxDepth)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { s.i = 3 }
        let v = try s.value(depth: 0)
        s.skipWhitespace()
        if s.i < bytes.count { throw s.fail("unexpected \(s.describeByte()) after the JSON value") }
        return v
    }

    // MARK: values

    private mutating func value(depth: Int) throws(WireError) -> JSONValue {
        skipWhitespace()
        guard i < bytes.count else { throw fail("unexpected end of line") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected \(describeByte())")
        }
    }

    private mutating func object(depth: Int) throws(WireError) -> JSONValue {
        guard depth <= maxDepth else { throw WireError(.nestingTooDeep, "JSON nesting deeper than \(maxDepth) levels") }
        i += 1  // {
        var members: [JSONMember] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a quoted member name") }
            let key = try string()
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected `:` after member name \"\(key)\"") }
            i += 1
            members.append(JSONMember(key: key, value: try value(depth: depth)))
            skipWhitespace()
            guard i < bytes.count else { throw fail("unterminated object") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                continue
            }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw fail("expected `,` or `}` in object, found \(describeByte())")
        }
    }

    private mutating func array(depth: Int) throws(WireError) -> JSONValue {
        guard depth <= maxDepth else { throw WireError(.nestingTooDeep, "JSON nesting deeper than \(maxDepth) levels") }
        i += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
        while true {
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard i < bytes.count else { throw fail("unterminated array") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
                continue
            }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
            throw fail("expected `,` or `]` in array, found \(describeByte())")
        }
    }

    private mutating func literal(_ word: StaticString) throws(WireError) {
        let n = word.utf8CodeUnitCount
        guard bytes.count - i >= n else { throw fail("unexpected \(describeByte())") }
        let w = word.utf8Start
        for k in 0..<n where bytes[i + k] != w[k] { throw fail("unexpected \(describeByte())") }
        i += n
    }

    // MARK: numbers

    /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    private mutating func number() throws(WireError) -> JSONNumber {
        let start = i
        var negative = false
        if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { throw fail("invalid number") }
        // Accumulate as a negative magnitude so Int64.min parses without overflow.
        var acc: Int64 = 0
        var fits = true
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, isDigit(bytes[i]) { throw fail("leading zero in number") }
        } else {
            while i < bytes.count, isDigit(bytes[i]) {
                let d = Int64(bytes[i] &- 48)
                if fits {
                    let (m, o1) = acc.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.subtractingReportingOverflow(d)
                    if o1 || o2 { fits = false } else { acc = s }
                }
                i += 1
            }
        }
        var integral = true
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            integral = false
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw fail("invalid number: digits must follow `.`") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            integral = false
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw fail("invalid number: digits must follow the exponent") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if integral, fits {
            if negative { return .int(acc) }
            if acc != .min { return .int(-acc) }
        }
        return .text(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
    }

    private func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }

    // MARK: strings

    /// At the opening quote; returns the unescaped contents.
    private mutating func string() throws(WireError) -> String {
        i += 1
        let start = i
        // Fast path: no escapes (input UTF-8 was validated by LineScan; invalid bytes are repaired anyway).
        while i < bytes.count {
            i = PlainBytes.skip(bytes, from: i)
            guard i < bytes.count else { break }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw fail("control character U+\(hex(b)) in string must be escaped") }
            i += 1
        }
        var out = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if b < 0x20 { throw fail("control character U+\(hex(b)) in string must be escaped") }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            i += 1
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "u"): appendScalar(try unicodeEscape(), to: &out)
            default: throw fail("invalid escape `\\\(Character(Unicode.Scalar(e)))` in string")
            }
        }
        throw fail("unterminated string")
    }

    /// After `\u`: one scalar, joining a UTF-16 surrogate pair.
    private mutating func unicodeEscape() throws(WireError) -> Unicode.Scalar {
        let high = try hex4()
        if high < 0xD800 || high > 0xDFFF { return Unicode.Scalar(high)! }
        guard high < 0xDC00, bytes.count - i >= 6, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
            throw fail("unpaired UTF-16 surrogate \\u\(String(high, radix: 16)) in string")
        }
        i += 2
        let low = try hex4()
        guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired UTF-16 surrogate \\u\(String(high, radix: 16)) in string") }
        return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
    }

    private mutating func hex4() throws(WireError) -> UInt32 {
        guard bytes.count - i >= 4 else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - 55
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    private func appendScalar(_ s: Unicode.Scalar, to out: inout [UInt8]) {
        out.append(contentsOf: UTF8.encode(s)!)
    }

    // MARK: helpers

    private mutating func skipWhitespace() {
        while i < bytes.count {
            let b = bytes[i]
            guard b == 32 || b == 10 || b == 13 || b == 9 else { return }
            i += 1
        }
    }

    private func describeByte() -> String {
        guard i < bytes.count else { return "end of line" }
        let b = bytes[i]
        return b >= 0x20 && b < 0x7F ? "`\(Character(Unicode.Scalar(b)))`" : "byte 0x\(hex(b))"
    }

    private func hex(_ b: UInt8) -> String {
        let s = String(b, radix: 16, uppercase: true)
        return s.count == 1 ? "0" + s : s
    }

    private func fail(_ what: String) -> WireError {
        WireError(.invalidJSON, "invalid JSON: \(what) at byte \(i + 1)")
    }
}
