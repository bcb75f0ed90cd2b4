/// A `Decoder` over a parsed `JSONValue`: lets the operations' `init(from:)` run unchanged
/// while avoiding Foundation's JSONDecoder. Failures are the same `DecodingError`s JSONDecoder
/// throws (type mismatch, value not found, key not found, number does not fit), so
/// `WireDecoding` maps them to the same wire errors.
struct TreeDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ value: JSONValue, codingPath: [any CodingKey] = []) {
        self.value = value
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw TreeDecoder.mismatch([String: Any].self, value, codingPath)
        }
        return KeyedDecodingContainer(TreeKeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw TreeDecoder.mismatch([Any].self, value, codingPath)
        }
        return TreeUnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: single value

    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try TreeDecoder.bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try TreeDecoder.string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try TreeDecoder.double(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try TreeDecoder.float(value, codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try TreeDecoder.integer(value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try TreeDecoder.integer(value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try TreeDecoder.integer(value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try TreeDecoder.integer(value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try TreeDecoder.integer(value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try TreeDecoder.integer(value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try TreeDecoder.integer(value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try TreeDecoder.integer(value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try TreeDecoder.integer(value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try TreeDecoder.integer(value, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try TreeDecoder.decode(T.self, value, codingPath) }

    // MARK: shared scalar conversions

    /// Decodes any `T`, with the common scalars handled without building a nested decoder.
    static func decode<T: Decodable>(_ type: T.Type, _ v: JSONValue, _ path: [any CodingKey]) throws -> T {
        if T.self == Int64.self { return try integer(v, path) as Int64 as! T }
        if T.self == Int.self { return try integer(v, path) as Int as! T }
        if T.self == Double.self { return try double(v, path) as! T }
        if T.self == String.self { return try string(v, path) as! T }
        if T.self == Bool.self { return try bool(v, path) as! T }
        return try T(from: TreeDecoder(v, codingPath: path))
    }

    static func bool(_ v: JSONValue, _ path: [any CodingKey]) throws -> Bool {
        guard case .bool(let b) = v else { throw mismatch(Bool.self, v, path) }
        return b
    }

    static func string(_ v: JSONValue, _ path: [any CodingKey]) throws -> String {
        guard case .string(let s) = v else { throw mismatch(String.self, v, path) }
        return s
    }

    static func double(_ v: JSONValue, _ path: [any CodingKey]) throws -> Double {
        guard case .number(let n) = v else { throw mismatch(Double.self, v, path) }
        let d = n.double
        guard d.isFinite, !n.underflows else { throw doesNotFit(n, Double.self, path) }
        return d
    }

    static func float(_ v: JSONValue, _ path: [any CodingKey]) throws -> Float {
        let d = try double(v, path)
        guard abs(d) <= Double(Float.greatestFiniteMagnitude) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "Parsed JSON number <\(d)> does not fit in Float."))
        }
        return Float(d)
    }

    static func integer<T: FixedWidthInteger>(_ v: JSONValue, _ path: [any CodingKey]) throws -> T {
        guard case .number(let n) = v else { throw mismatch(T.self, v, path) }
        guard let i = n.integer(T.self) else { throw doesNotFit(n, T.self, path) }
        return i
    }

    static func mismatch(_ type: Any.Type, _ v: JSONValue, _ path: [any CodingKey]) -> DecodingError {
        if v == .null {
            return .valueNotFound(type, .init(codingPath: path, debugDescription: "Expected \(type) value but found null instead."))
        }
        return .typeMismatch(type, .init(codingPath: path, debugDescription: "Expected to decode \(type) but found \(v.kindName) instead."))
    }

    static func doesNotFit(_ n: JSONNumber, _ type: Any.Type, _ path: [any CodingKey]) -> DecodingError {
        .dataCorrupted(.init(codingPath: path, debugDescription: "Parsed JSON number <\(n)> does not fit in \(type)."))
    }
}

/// An array element's coding key (`[3]` in field paths).
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}
