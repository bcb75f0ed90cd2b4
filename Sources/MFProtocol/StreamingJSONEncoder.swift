/// A fast `Encoder` that writes compact JSON straight into a byte buffer, in the
/// order values are encoded (synthesized `Codable` encodes properties in declaration
/// order). Foundation's JSONEncoder builds a tree first and was ~10× slower on
/// `recommend` responses (docs/protocol.md, "Performance").
public struct StreamingJSONEncoder: Sendable {
    public init() {}

    /// Appends the JSON text of `value` to `out`. Throws `EncodingError.invalidValue` for NaN/infinity.
    public func encode<T: Encodable>(_ value: T, into out: inout [UInt8]) throws {
        let w = JSONStreamWriter(out: out)
        out = []
        defer { out = w.out }
        try w.value(value)
    }

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try encode(value, into: &out)
        return out
    }
}

/// One open container: its closing byte and whether it has members yet.
struct Frame {
    var closer: UInt8 = 0  // 0 = nothing written yet, 1 = single value written, else `}` or `]`
    var count = 0
}

final class JSONStreamWriter: Encoder {
    var out: [UInt8]
    var frames: [Frame] = []
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(out: [UInt8]) { self.out = out }

    /// Writes one value: opens a frame, lets the value encode itself, closes what it opened.
    func value<T: Encodable>(_ v: T) throws {
        // Metatype checks are cheap; `as?` casts on every value were the main cost.
        if T.self == String.self { return JSONText.appendString(v as! String, to: &out) }
        if T.self == Int64.self { return int(v as! Int64) }
        if T.self == Int.self { return int(Int64(v as! Int)) }
        if T.self == Float.self { return try float(v as! Float) }
        if T.self == Double.self { return try double(v as! Double) }
        if T.self == Bool.self { return bool(v as! Bool) }
        let level = frames.count
        frames.append(Frame())
        try v.encode(to: self)
        close(downTo: level)
    }

    /// Closes every frame above `level` (nested containers end when their parent writes again).
    func close(downTo level: Int) {
        while frames.count > level {
            let f = frames.removeLast()
            switch f.closer {
            case 0: out.append(contentsOf: "{}".utf8)  // the value encoded nothing, like JSONEncoder
            case 1: break  // a single value was written
            default: out.append(f.closer)
            }
        }
    }

    /// Opens a container on the current value's frame (or reuses it when asked twice).
    func open(_ opener: UInt8, _ closer: UInt8) -> Int {
        let level = frames.count - 1
        if frames[level].closer == 0 {
            frames[level].closer = closer
            out.append(opener)
        }
        return level
    }

    /// Before a member of the container at `level`: close deeper frames, write the comma.
    func member(_ level: Int) {
        close(downTo: level + 1)
        if frames[level].count > 0 { out.append(UInt8(ascii: ",")) }
        frames[level].count += 1
    }

    func key(_ k: any CodingKey) {
        JSONText.appendString(k.stringValue, to: &out)
        out.append(UInt8(ascii: ":"))
    }

    func int(_ i: Int64) { out.append(contentsOf: String(i).utf8) }
    func bool(_ b: Bool) { out.append(contentsOf: (b ? "true" : "false").utf8) }

    func float(_ f: Float) throws {
        guard f.isFinite else { throw EncodingError.invalidValue(f, .init(codingPath: codingPath, debugDescription: "non-finite Float")) }
        out.append(contentsOf: f.description.utf8)
    }

    func double(_ d: Double) throws {
        guard d.isFinite else { throw EncodingError.invalidValue(d, .init(codingPath: codingPath, debugDescription: "non-finite Double")) }
        out.append(contentsOf: JSONText.number(d).utf8)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Keyed<Key>(w: self, level: open(UInt8(ascii: "{"), UInt8(ascii: "}"))))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        Unkeyed(w: self, level: open(UInt8(ascii: "["), UInt8(ascii: "]")))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        Single(w: self)
    }

    /// A frame for a nested container, opened right away; closed when its parent writes again.
    func nested(_ opener: UInt8, _ closer: UInt8) -> Int {
        frames.append(Frame(closer: closer))
        out.append(opener)
        return frames.count - 1
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let w: JSONStreamWriter
        let level: Int
        var codingPath: [any CodingKey] { w.codingPath }

        mutating func encodeNil(forKey key: Key) throws { w.member(level); w.key(key); w.out.append(contentsOf: "null".utf8) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            w.member(level); w.key(key); try w.value(value)
        }

        mutating func encode(_ value: String, forKey key: Key) throws { w.member(level); w.key(key); JSONText.appendString(value, to: &w.out) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { w.member(level); w.key(key); w.int(value) }
        mutating func encode(_ value: Int, forKey key: Key) throws { w.member(level); w.key(key); w.int(Int64(value)) }
        mutating func encode(_ value: Float, forKey key: Key) throws { w.member(level); w.key(key); try w.float(value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { w.member(level); w.key(key); try w.double(value) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { w.member(level); w.key(key); w.bool(value) }
        mutating func nestedContainer<NK: CodingKey>(keyedBy keyType: NK.Type, forKey key: Key) -> KeyedEncodingContainer<NK> {
            w.member(level); w.key(key)
            return KeyedEncodingContainer(Keyed<NK>(w: w, level: w.nested(UInt8(ascii: "{"), UInt8(ascii: "}"))))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            w.member(level); w.key(key)
            return Unkeyed(w: w, level: w.nested(UInt8(ascii: "["), UInt8(ascii: "]")))
        }
        mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            w.member(level); w.key(key)
            w.frames.append(Frame())
            return w
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let w: JSONStreamWriter
        let level: Int
        var codingPath: [any CodingKey] { w.codingPath }
        var count: Int { w.frames[level].count }

        mutating func encodeNil() throws { w.member(level); w.out.append(contentsOf: "null".utf8) }
        mutating func encode<T: Encodable>(_ value: T) throws { w.member(level); try w.value(value) }

        mutating func encode(_ value: String) throws { w.member(level); JSONText.appendString(value, to: &w.out) }
        mutating func encode(_ value: Int64) throws { w.member(level); w.int(value) }
        mutating func encode(_ value: Int) throws { w.member(level); w.int(Int64(value)) }
        mutating func encode(_ value: Float) throws { w.member(level); try w.float(value) }
        mutating func encode(_ value: Double) throws { w.member(level); try w.double(value) }
        mutating func encode(_ value: Bool) throws { w.member(level); w.bool(value) }
        mutating func nestedContainer<NK: CodingKey>(keyedBy keyType: NK.Type) -> KeyedEncodingContainer<NK> {
            w.member(level)
            return KeyedEncodingContainer(Keyed<NK>(w: w, level: w.nested(UInt8(ascii: "{"), UInt8(ascii: "}"))))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            w.member(level)
            return Unkeyed(w: w, level: w.nested(UInt8(ascii: "["), UInt8(ascii: "]")))
        }
        mutating func superEncoder() -> any Encoder {
            w.member(level)
            w.frames.append(Frame())
            return w
        }
    }

    struct Single: SingleValueEncodingContainer {
        let w: JSONStreamWriter
        var codingPath: [any CodingKey] { w.codingPath }

        private func mark() { w.frames[w.frames.count - 1].closer = 1 }  // written: nothing to close

        mutating func encodeNil() throws { mark(); w.out.append(contentsOf: "null".utf8) }
        mutating func encode<T: Encodable>(_ value: T) throws { mark(); try w.value(value) }

        mutating func encode(_ value: String) throws { mark(); JSONText.appendString(value, to: &w.out) }
        mutating func encode(_ value: Int64) throws { mark(); w.int(value) }
        mutating func encode(_ value: Int) throws { mark(); w.int(Int64(value)) }
        mutating func encode(_ value: Float) throws { mark(); try w.float(value) }
        mutating func encode(_ value: Double) throws { mark(); try w.double(value) }
        mutating func encode(_ value: Bool) throws { mark(); w.bool(value) }
    }
}
