/// A request's `id`: any JSON scalar, echoed back exactly in the response.
public typealias RequestID = JSONScalar

/// Any JSON scalar; used for request ids and export cells.
public enum JSONScalar: Sendable, Hashable, Codable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    /// A number read from a request that is not an Int64 literal (a fraction,
    /// an exponent, an integer beyond 64 bits), kept as its exact text so an
    /// `id` is echoed byte for byte (`1.0` stays `1.0`, a 30-digit id keeps its digits).
    case number(String)
    case string(String)
    case bool(Bool)

    public init(from decoder: any Decoder) throws {
        if let tree = decoder as? TreeDecoder, case .number(let n) = tree.value, case .text(let literal) = n,
           n.double.isFinite, !n.underflows {
            self = .number(literal); return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let v = try? c.decode(Bool.self) { self = .bool(v); return }
        if let v = try? c.decode(Int64.self) { self = .int(v); return }
        if let v = try? c.decode(Double.self), v.isFinite { self = .double(v); return }
        if let v = try? c.decode(String.self) { self = .string(v); return }
        throw WireError(.invalidType, "id must be a JSON scalar: string, number, boolean or null", field: "id")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .int(let v): try c.encode(v)
        case .double(let v): try c.encode(v)
        case .number(let s): try c.encode(Double(s) ?? .nan)
        case .string(let v): try c.encode(v)
        case .bool(let v): try c.encode(v)
        }
    }

    /// Appends the JSON text of this id.
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .int(let v): out.append(contentsOf: String(v).utf8)
        case .double(let v): out.append(contentsOf: JSONText.number(v).utf8)
        case .number(let s): out.append(contentsOf: s.utf8)
        case .string(let v): JSONText.appendString(v, to: &out)
        case .bool(let v): out.append(contentsOf: (v ? "true" : "false").utf8)
        }
    }

    /// A number kept as text equals the `double` it spells, so a decoded id
    /// compares (and hashes) by value, however it was written.
    public static func == (a: JSONScalar, b: JSONScalar) -> Bool {
        switch (a.numericValue, b.numericValue) {
        case (let x?, let y?): return x == y
        case (nil, nil): break
        default: return false
        }
        switch (a, b) {
        case (.null, .null): return true
        case (.int(let x), .int(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .int(let v): h.combine(1); h.combine(v)
        case .double, .number: h.combine(2); h.combine(numericValue)
        case .string(let v): h.combine(3); h.combine(v)
        case .bool(let v): h.combine(4); h.combine(v)
        }
    }

    /// The value of a `double` or a `number`; nil for every other case.
    private var numericValue: Double? {
        switch self {
        case .double(let v): return v
        case .number(let s): return Double(s) ?? .nan
        default: return nil
        }
    }

    public var description: String {
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
