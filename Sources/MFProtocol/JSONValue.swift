/// A parsed JSON value: the small tree `TreeDecoder` reads requests from.
/// Object members keep their order; a repeated key resolves to its first value (as JSONDecoder does).
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// Human name of the JSON type, for error messages.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

struct JSONMember: Sendable, Equatable {
    var key: String
    var value: JSONValue
}

/// A JSON number: an integer literal that fits Int64, or the literal's text
/// (fractions, exponents, integers beyond Int64), converted on demand.
enum JSONNumber: Sendable, Equatable, CustomStringConvertible {
    case int(Int64)
    case text(String)

    /// The nearest Double; infinite when the literal overflows (`1e400`).
    var double: Double {
        switch self {
        case .int(let v): return Double(v)
        case .text(let s): return Double(s) ?? .nan
        }
    }

    /// A non-zero literal that rounds to zero (`1e-400`): JSONDecoder rejects it as a Double.
    var underflows: Bool {
        guard case .text(let s) = self, double == 0 else { return false }
        return s.utf8.prefix(while: { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") })
            .contains(where: { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") })
    }

    /// The integer an integer literal spells, or nil: for a literal out of
    /// `T`'s range, and for any fraction or exponent, even an integral one
    /// (`4.0`, `1e2`): an ID or count must be written as an integer.
    func integer<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        switch self {
        case .int(let v): return T(exactly: v)
        case .text: return nil
        }
    }

    var description: String {
        switch self {
        case .int(let v): return String(v)
        case .text(let s): return s
        }
    }
}
