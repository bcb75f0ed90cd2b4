/// A request's `id`: any JSON scalar, echoed back exactly in the response.
public typealias RequestID = JSONScalar

/// Any JSON scalar; used for request ids and export cells.
public enum JSONScalar: Sendable, Hashable, Codable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    case string(String)
    case bool(Bool)

    public init(from decoder: any Decoder) throws {
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
        case .string(let v): JSONText.appendString(v, to: &out)
        case .bool(let v): out.append(contentsOf: (v ? "true" : "false").utf8)
        }
    }

    public var description: String {
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
