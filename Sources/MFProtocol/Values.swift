import MFCore

/// `[user, item, rating]` or `[user, item, rating, timestamp]` in `add_ratings`.
public struct RatingTuple: Codable, Sendable, Equatable {
    public var user: Int64
    public var item: Int64
    public var rating: Double
    public var timestamp: Int64?

    public init(user: Int64, item: Int64, rating: Double, timestamp: Int64? = nil) {
        self.user = user; self.item = item; self.rating = rating; self.timestamp = timestamp
    }

    public init(from decoder: any Decoder) throws {
        var c = try Self.tuple(decoder, arity: 3...4, shape: "[user, item, rating(, timestamp)]")
        user = try WireDecoding.element(&c, decoder, Int64.self)
        item = try WireDecoding.element(&c, decoder, Int64.self)
        rating = try Rating.check(WireDecoding.element(&c, decoder, Double.self), field: WireDecoding.path(decoder.codingPath) + "[2]")
        timestamp = c.isAtEnd ? nil : try WireDecoding.element(&c, decoder, Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(user); try c.encode(item); try c.encode(rating)
        if let timestamp { try c.encode(timestamp) }
    }

    static func tuple(_ decoder: any Decoder, arity: ClosedRange<Int>, shape: String) throws -> UnkeyedDecodingContainer {
        let field = WireDecoding.path(decoder.codingPath)
        guard let c = try? decoder.unkeyedContainer(), let n = c.count, arity.contains(n) else {
            throw WireError(.invalidType, "`\(field)` must be an array \(shape)", field: field)
        }
        return c
    }
}

/// `[item, rating]` in `fold_in`.
public struct ItemRating: Codable, Sendable, Equatable {
    public var item: Int64
    public var rating: Double

    public init(item: Int64, rating: Double) { self.item = item; self.rating = rating }

    public init(from decoder: any Decoder) throws {
        var c = try RatingTuple.tuple(decoder, arity: 2...2, shape: "[item, rating]")
        item = try WireDecoding.element(&c, decoder, Int64.self)
        rating = try Rating.check(WireDecoding.element(&c, decoder, Double.self), field: WireDecoding.path(decoder.codingPath) + "[1]")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(item); try c.encode(rating)
    }
}

/// Rating checks the protocol can make without knowing the server's scale.
public enum Rating {
    /// Accepts finite values only; the engine checks the configured scale.
    public static func check(_ value: Double, field: String) throws -> Double {
        guard value.isFinite else {
            throw WireError(.invalidRating, "rating must be a finite number", field: field)
        }
        return value
    }
}

/// An attribute on the wire: a JSON number or string (a category).
extension AttributeValue: Codable, CustomStringConvertible {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Double.self), v.isFinite { self = .number(v); return }
        if let v = try? c.decode(String.self) { self = .category(v); return }
        let field = WireDecoding.path(decoder.codingPath)
        throw WireError(.invalidType, "attribute `\(field)` must be a finite number or a string", field: field)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let v): try c.encode(v)
        case .category(let v): try c.encode(v)
        }
    }

    public var description: String {
        switch self {
        case .number(let v): return JSONText.number(v)
        case .category(let v): return v
        }
    }
}

extension WireDecoding {
    /// Decodes the next tuple element, naming it `field[i]` on failure.
    static func element<T: Decodable>(_ c: inout UnkeyedDecodingContainer, _ decoder: any Decoder, _ type: T.Type) throws -> T {
        let field = path(decoder.codingPath) + "[\(c.currentIndex)]"
        do {
            if try c.decodeNil() {
                throw WireError(.invalidType, "`\(field)` must be \(jsonName(T.self)), not null", field: field)
            }
            return try c.decode(T.self)
        } catch let e as WireError {
            throw e
        } catch {
            throw WireError(.invalidType, "`\(field)` must be \(jsonName(T.self))", field: field)
        }
    }
}
