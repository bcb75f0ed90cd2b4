/// A coding key for any name; used to list and reject unknown fields.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init?(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}

/// Reads one operation's parameters and turns every decoding failure into a
/// precise `WireError` naming the field (`missing_field`, `invalid_type`, …).
struct ParamReader<Key: CodingKey & CaseIterable> {
    let container: KeyedDecodingContainer<Key>
    let prefix: [any CodingKey]

    /// `envelope` is true for a request's top level, where `op`, `id` and `progress` are also allowed.
    init(_ decoder: any Decoder, _ keys: Key.Type, envelope: Bool = true) throws {
        prefix = decoder.codingPath
        let all = try decoder.container(keyedBy: AnyKey.self)
        for key in all.allKeys where Key(stringValue: key.stringValue) == nil {
            if envelope, Envelope.keys.contains(key.stringValue) { continue }
            let allowed = Key.allCases.map { "`\($0.stringValue)`" }.joined(separator: ", ")
            throw WireError(.unknownField, "unknown field `\(key.stringValue)`; allowed: \(allowed.isEmpty ? "none" : allowed)",
                            field: WireDecoding.path(prefix + [key]))
        }
        container = try decoder.container(keyedBy: Key.self)
    }

    func required<T: Decodable>(_ key: Key, _ type: T.Type = T.self) throws -> T {
        guard container.contains(key) else {
            throw WireError(.missingField, "missing field `\(key.stringValue)`", field: WireDecoding.path(prefix + [key]))
        }
        if (try? container.decodeNil(forKey: key)) == true {
            throw WireError(.invalidType, "`\(key.stringValue)` must be \(WireDecoding.jsonName(T.self)), not null",
                            field: WireDecoding.path(prefix + [key]))
        }
        return try WireDecoding.mapping(key, prefix, T.self) { try container.decode(T.self, forKey: key) }
    }

    func optional<T: Decodable>(_ key: Key, _ type: T.Type = T.self) throws -> T? {
        guard container.contains(key), (try? container.decodeNil(forKey: key)) != true else { return nil }
        return try WireDecoding.mapping(key, prefix, T.self) { try container.decode(T.self, forKey: key) }
    }

    func optional<T: Decodable>(_ key: Key, default value: T) throws -> T {
        try optional(key, T.self) ?? value
    }

    /// An integer `n` in 1...max.
    func count(_ key: Key, default value: Int, max: Int = WireProtocol.maxN) throws -> Int {
        let n = try optional(key, default: value)
        guard n >= 1, n <= max else {
            throw WireError(.invalidValue, "`\(key.stringValue)` must be between 1 and \(max), got \(n)",
                            field: WireDecoding.path(prefix + [key]))
        }
        return n
    }
}

enum WireDecoding {
    /// `ratings[3][2]`, `attributes.age`.
    static func path(_ keys: [any CodingKey]) -> String {
        var s = ""
        for k in keys {
            if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : ".\(k.stringValue)" }
        }
        return s
    }

    static func jsonName(_ type: Any.Type) -> String {
        switch type {
        case is Int64.Type, is Int.Type, is Int32.Type, is UInt64.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a valid \(name)"
        }
    }

    /// Runs a decode and maps Foundation's `DecodingError` to a `WireError`.
    static func mapping<T>(_ key: any CodingKey, _ prefix: [any CodingKey], _ type: T.Type,
                           _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as WireError {
            throw e
        } catch let e as DecodingError {
            throw wireError(e, fallbackField: path(prefix + [key]), expected: jsonName(T.self))
        } catch {
            // Foundation's own errors, e.g. a number that does not fit the type.
            let field = path(prefix + [key])
            throw WireError(.invalidType, "`\(field)` must be \(jsonName(T.self)) in range", field: field)
        }
    }

    static func wireError(_ e: DecodingError, fallbackField: String?, expected: String) -> WireError {
        switch e {
        case .typeMismatch(let t, let ctx):
            let field = ctx.codingPath.isEmpty ? fallbackField : path(ctx.codingPath)
            let leaf = ctx.codingPath.count > 1 || fallbackField == nil ? jsonName(t) : expected
            return WireError(.invalidType, "`\(field ?? "value")` must be \(leaf)", field: field)
        case .valueNotFound(let t, let ctx):
            let field = ctx.codingPath.isEmpty ? fallbackField : path(ctx.codingPath)
            return WireError(.invalidType, "`\(field ?? "value")` must be \(jsonName(t)), not null", field: field)
        case .keyNotFound(let k, let ctx):
            let field = path(ctx.codingPath + [k])
            return WireError(.missingField, "missing field `\(field)`", field: field)
        case .dataCorrupted(let ctx):
            let field = ctx.codingPath.isEmpty ? fallbackField : path(ctx.codingPath)
            return WireError(.invalidType, "`\(field ?? "value")` must be \(expected): \(ctx.debugDescription)", field: field)
        @unknown default:
            return WireError(.invalidRequest, "\(e)", field: fallbackField)
        }
    }
}
