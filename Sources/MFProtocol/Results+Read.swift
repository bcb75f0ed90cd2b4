import MFCore

/// The serving model, as reported by `hello` and `status`.
public struct ModelInfo: Codable, Sendable, Equatable {
    public var id: Int64
    public var kind: ModelKind
    /// `"als"`, `"spark-als"`, … (free text).
    public var algorithm: String
    public var factors: Int
    public var users: Int
    public var items: Int
    /// Unix seconds.
    public var trainedAt: Double
    public var ageSeconds: Double

    public init(id: Int64, kind: ModelKind, algorithm: String, factors: Int, users: Int, items: Int,
                trainedAt: Double, ageSeconds: Double) {
        self.id = id; self.kind = kind; self.algorithm = algorithm; self.factors = factors
        self.users = users; self.items = items; self.trainedAt = trainedAt; self.ageSeconds = ageSeconds
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, algorithm, factors, users, items
        case trainedAt = "trained_at"
        case ageSeconds = "age_s"
    }
}

/// Server limits a client should respect.
public struct Limits: Codable, Sendable, Equatable {
    public var maxLineBytes: Int
    public var maxBatch: Int
    public var ratingMin: Double
    public var ratingMax: Double

    public init(maxLineBytes: Int, maxBatch: Int, ratingMin: Double, ratingMax: Double) {
        self.maxLineBytes = maxLineBytes; self.maxBatch = maxBatch; self.ratingMin = ratingMin; self.ratingMax = ratingMax
    }

    enum CodingKeys: String, CodingKey {
        case maxLineBytes = "max_line_bytes"
        case maxBatch = "max_batch"
        case ratingMin = "rating_min"
        case ratingMax = "rating_max"
    }
}

public struct HelloResult: Codable, Sendable, Equatable {
    public var `protocol`: Int
    public var server: String
    public var model: ModelInfo?
    public var limits: Limits

    public init(protocol: Int = WireProtocol.version, server: String, model: ModelInfo?, limits: Limits) {
        self.protocol = `protocol`; self.server = server; self.model = model; self.limits = limits
    }
}

public struct PingResult: Codable, Sendable, Equatable {
    public var pong: Bool
    public init(pong: Bool = true) { self.pong = pong }
}

public struct MetricsResult: Codable, Sendable, Equatable {
    /// Prometheus text exposition format 0.0.4.
    public var text: String
    public init(text: String) { self.text = text }
}

/// One scored item in `recommend`, `similar_items` and `fold_in`.
public struct ScoredItem: Codable, Sendable, Equatable {
    public var item: Int64
    public var score: Float
    public var title: String?
    public var genres: [String]?
    /// With `explain`: up to 3 rated items that contributed most, largest share first.
    public var because: [Because]?

    public init(item: Int64, score: Float, title: String? = nil, genres: [String]? = nil, because: [Because]? = nil) {
        self.item = item; self.score = score; self.title = title; self.genres = genres; self.because = because
    }
}

/// A rated item's contribution to a recommendation's score.
public struct Because: Codable, Sendable, Equatable {
    public var item: Int64
    public var title: String?
    /// Fraction of the explained score, in [0, 1].
    public var share: Float

    public init(item: Int64, title: String? = nil, share: Float) { self.item = item; self.title = title; self.share = share }
}

public struct RecommendResult: Codable, Sendable, Equatable {
    public var user: Int64
    public var items: [ScoredItem]
    public var source: Source

    public init(user: Int64, items: [ScoredItem], source: Source) { self.user = user; self.items = items; self.source = source }
}

public struct PredictResult: Codable, Sendable, Equatable {
    public var user: Int64
    public var item: Int64
    public var value: Float
    public var source: Source

    public init(user: Int64, item: Int64, value: Float, source: Source) {
        self.user = user; self.item = item; self.value = value; self.source = source
    }
}

public struct SimilarItemsResult: Codable, Sendable, Equatable {
    public var item: Int64
    public var items: [ScoredItem]
    public init(item: Int64, items: [ScoredItem]) { self.item = item; self.items = items }
}

public struct ScoredUser: Codable, Sendable, Equatable {
    public var user: Int64
    public var score: Float
    public init(user: Int64, score: Float) { self.user = user; self.score = score }
}

public struct SimilarUsersResult: Codable, Sendable, Equatable {
    public var user: Int64
    public var users: [ScoredUser]
    public init(user: Int64, users: [ScoredUser]) { self.user = user; self.users = users }
}

public struct RatedItem: Codable, Sendable, Equatable {
    public var item: Int64
    public var rating: Double
    public var title: String?
    public init(item: Int64, rating: Double, title: String? = nil) { self.item = item; self.rating = rating; self.title = title }
}

public struct UserResult: Codable, Sendable, Equatable {
    public var user: Int64
    public var ratings: Int
    public var mean: Double?
    public var bias: Float?
    public var foldedIn: Bool
    public var attributes: [String: AttributeValue]
    /// Highest-rated items, best first (`top` of them).
    public var topRated: [RatedItem]

    public init(user: Int64, ratings: Int, mean: Double?, bias: Float?, foldedIn: Bool,
                attributes: [String: AttributeValue], topRated: [RatedItem]) {
        self.user = user; self.ratings = ratings; self.mean = mean; self.bias = bias
        self.foldedIn = foldedIn; self.attributes = attributes; self.topRated = topRated
    }

    enum CodingKeys: String, CodingKey {
        case user, ratings, mean, bias, attributes
        case foldedIn = "folded_in"
        case topRated = "top_rated"
    }
}

public struct ItemResult: Codable, Sendable, Equatable {
    public var item: Int64
    public var title: String?
    public var genres: [String]
    public var attributes: [String: AttributeValue]
    public var ratings: Int
    public var mean: Double?
    public var bias: Float?

    public init(item: Int64, title: String?, genres: [String], attributes: [String: AttributeValue],
                ratings: Int, mean: Double?, bias: Float?) {
        self.item = item; self.title = title; self.genres = genres; self.attributes = attributes
        self.ratings = ratings; self.mean = mean; self.bias = bias
    }
}
