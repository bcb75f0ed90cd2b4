import MFCore

/// `add_rating {user, item, rating, timestamp?}`: durable before the reply, folded in at once.
// RatingTuple's fields and init again: this is the object form of one op, RatingTuple the array form inside add_ratings.
public struct AddRatingRequest: WireOperation {
    public typealias Result = AddRatingResult
    public static let op = Op.addRating
    public var user: Int64
    public var item: Int64
    public var rating: Double
    /// Unix seconds; the server's clock when absent.
    public var timestamp: Int64?

    public init(user: Int64, item: Int64, rating: Double, timestamp: Int64? = nil) {
        self.user = user; self.item = item; self.rating = rating; self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case user, item, rating, timestamp }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        user = try r.required(.user)
        item = try r.required(.item)
        rating = try Rating.check(r.required(.rating), field: "rating")
        timestamp = try r.optional(.timestamp)
    }
}

/// `add_ratings {ratings: [[user, item, rating(, ts)], …]}`: one atomic batch.
public struct AddRatingsRequest: WireOperation {
    public typealias Result = AddRatingsResult
    public static let op = Op.addRatings
    public var ratings: [RatingTuple]

    public init(ratings: [RatingTuple]) { self.ratings = ratings }

    enum CodingKeys: String, CodingKey, CaseIterable { case ratings }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        ratings = try r.required(.ratings)
        guard !ratings.isEmpty else {
            throw WireError(.invalidValue, "`ratings` must not be empty", field: "ratings")
        }
    }
}

/// `delete_rating {user, item}`.
// The body of PredictRequest again: one type per op, so each op's decoding errors and docs are its own.
public struct DeleteRatingRequest: WireOperation {
    public typealias Result = DeleteRatingResult
    public static let op = Op.deleteRating
    public var user: Int64
    public var item: Int64

    public init(user: Int64, item: Int64) { self.user = user; self.item = item }

    enum CodingKeys: String, CodingKey, CaseIterable { case user, item }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        user = try r.required(.user)
        item = try r.required(.item)
    }
}

/// `delete_user {user}`: the user's ratings, attributes and factors.
public struct DeleteUserRequest: WireOperation {
    public typealias Result = DeleteUserResult
    public static let op = Op.deleteUser
    public var user: Int64

    public init(user: Int64) { self.user = user }

    enum CodingKeys: String, CodingKey, CaseIterable { case user }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        user = try r.required(.user)
    }
}

/// `fold_in {user?, ratings: [[item, rating], …], persist=true, n=10}`.
/// `user` may be omitted only with `persist: false` (an anonymous user).
public struct FoldInRequest: WireOperation {
    public typealias Result = FoldInResult
    public static let op = Op.foldIn
    public var user: Int64?
    public var ratings: [ItemRating]
    public var persist: Bool
    /// How many recommendations to return for the folded-in user.
    public var n: Int

    public init(user: Int64?, ratings: [ItemRating], persist: Bool = true, n: Int = 10) {
        self.user = user; self.ratings = ratings; self.persist = persist; self.n = n
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case user, ratings, persist, n }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        user = try r.optional(.user)
        ratings = try r.required(.ratings)
        persist = try r.optional(.persist, default: true)
        n = try r.count(.n, default: 10)
        if persist, user == nil {
            throw WireError(.missingField, "missing field `user` (required unless \"persist\": false)", field: "user")
        }
        guard !ratings.isEmpty else {
            throw WireError(.invalidValue, "`ratings` must not be empty", field: "ratings")
        }
    }
}

/// `add_user {user, attributes={}}`: creates or updates a user's attributes.
public struct AddUserRequest: WireOperation {
    public typealias Result = AddUserResult
    public static let op = Op.addUser
    public var user: Int64
    public var attributes: [String: AttributeValue]

    public init(user: Int64, attributes: [String: AttributeValue] = [:]) {
        self.user = user; self.attributes = attributes
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case user, attributes }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        user = try r.required(.user)
        attributes = try r.optional(.attributes, default: [:])
    }
}

/// `add_item {item, title?, genres?, attributes?}`: creates or updates an item.
/// Absent fields are left unchanged on an existing item.
public struct AddItemRequest: WireOperation {
    public typealias Result = AddItemResult
    public static let op = Op.addItem
    public var item: Int64
    public var title: String?
    public var genres: [String]?
    public var attributes: [String: AttributeValue]?

    public init(item: Int64, title: String? = nil, genres: [String]? = nil, attributes: [String: AttributeValue]? = nil) {
        self.item = item; self.title = title; self.genres = genres; self.attributes = attributes
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case item, title, genres, attributes }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        item = try r.required(.item)
        title = try r.optional(.title)
        genres = try r.optional(.genres)
        attributes = try r.optional(.attributes)
    }
}
