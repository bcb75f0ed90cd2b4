/// Small JSON text helpers used on the hot path (no Foundation).
public enum JSONText {
    /// JSON text of a finite double (Swift's shortest round-trip form is valid JSON).
    public static func number(_ v: Double) -> String {
        if v.isFinite, v == v.rounded(.towardZero), abs(v) < 1e15 { return String(Int64(v)) }
        return v.isFinite ? String(v) : "null"
    }

    /// Appends `s` as a quoted, escaped JSON string.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        // Titles, genres and base64 columns rarely need escaping: copy runs of plain bytes in one go.
        s.withUTF8 { bytes in
            var run = 0, i = 0
            while i < bytes.count {
                i = PlainBytes.skip(UnsafeRawBufferPointer(bytes), from: i)
                guard i < bytes.count else { break }
                let b = bytes[i]
                if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
                    appendEscaped(b, to: &out)
                    run = i + 1
                }
                i += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ b: UInt8, to out: inout [UInt8]) {
        switch b {
        case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
        case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
        case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
        default:
            let hex = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
        }
    }
}

/// One pass over a request line before JSON parsing: rejects invalid UTF-8 and
/// excessive nesting cheaply, so the JSON parser only sees sane input.
/// Skipping the plain bytes of a JSON string eight at a time: base64 columns
/// (`import_model_rows`) are strings of hundreds of kilobytes.
enum PlainBytes {
    /// The first index from `i` whose 8-byte word holds a quote, a backslash, a control
    /// byte (< 0x20) or a non-ASCII byte (≥ 0x80); `bytes.count` when none is left. Only
    /// whole words are skipped: the bytes from the result on are for a byte loop.
    @inline(__always)
    static func skip(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= bytes.count {
            let w = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
            // A zero byte of x: (x − 0x01…) & ~x & 0x80…; a byte < 0x20: (w − 0x20…) & ~w & 0x80….
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((w &- ones &* 0x20) & ~w) | w
            if special & highs != 0 { return i }
            i += 8
        }
        return i
    }
}

enum LineScan {
    static func check(_ bytes: UnsafeRawBufferPointer, maxDepth: Int) -> WireError? {
        var depth = 0
        var inString = false
        var escaped = false
        var ascii = true
        var i = 0
        while i < bytes.count {
            if inString && !escaped {
                i = PlainBytes.skip(bytes, from: i)
                guard i < bytes.count else { break }
            }
            let b = bytes[i]
            i += 1
            if b >= 0x80 { ascii = false; continue }
            if inString {
                if escaped { escaped = false } else if b == 92 { escaped = true } else if b == 34 { inString = false }
                continue
            }
            switch b {
            case 34: inString = true
            case 91, 123:
                depth += 1
                if depth > maxDepth {
                    return WireError(.nestingTooDeep, "JSON nesting deeper than \(maxDepth) levels")
                }
            case 93, 125: depth -= 1
            default: break
            }
        }
        if !ascii, String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) == nil {
            return WireError(.invalidUTF8, "request line is not valid UTF-8")
        }
        return nil
    }

    /// The byte range of the value of top-level key `key` in a JSON object text,
    /// or nil. Used by the client to hand back a daemon's `result` unchanged.
    static func topLevelValue(_ key: String, in bytes: [UInt8]) -> Range<Int>? {
        let target = Array(key.utf8)
        var i = 0
        let n = bytes.count
        func skipWS() { while i < n, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 } }
        func skipString() -> Range<Int>? {  // at opening quote; returns content range
            guard i < n, bytes[i] == 34 else { return nil }
            i += 1
            let start = i
            while i < n {
                if bytes[i] == 92 { i += 2; continue }
                if bytes[i] == 34 { let r = start..<i; i += 1; return r }
                i += 1
            }
            return nil
        }
        func skipValue() -> Bool {
            skipWS()
            guard i < n else { return false }
            if bytes[i] == 34 { return skipString() != nil }
            if bytes[i] == 123 || bytes[i] == 91 {
                var depth = 0
                while i < n {
                    let b = bytes[i]
                    if b == 34 { guard skipString() != nil else { return false }; continue }
                    if b == 123 || b == 91 { depth += 1 }
                    if b == 125 || b == 93 { depth -= 1; if depth == 0 { i += 1; return true } }
                    i += 1
                }
                return false
            }
            while i < n, ![44, 125, 93, 32, 9, 10, 13].contains(bytes[i]) { i += 1 }
            return true
        }
        skipWS()
        guard i < n, bytes[i] == 123 else { return nil }
        i += 1
        while true {
            skipWS()
            guard let name = skipString() else { return nil }
            skipWS()
            guard i < n, bytes[i] == 58 else { return nil }
            i += 1
            skipWS()
            let start = i
            guard skipValue() else { return nil }
            if bytes[name].elementsEqual(target) { return start..<i }
            skipWS()
            guard i < n, bytes[i] == 44 else { return nil }
            i += 1
        }
    }
}
