/// One rating: `user` rated `item` with `value` at `timestamp` (Unix seconds, optional).
public struct Rating: Sendable, Hashable {
    public var user: Int64
    public var item: Int64
    public var value: Float
    public var timestamp: Int64?

    public init(user: Int64, item: Int64, value: Float, timestamp: Int64? = nil) {
        self.user = user
        self.item = item
        self.value = value
        self.timestamp = timestamp
    }
}

/// Row counts of the main tables.
public struct StoreCounts: Sendable, Hashable {
    public var ratings: Int
    public var users: Int
    public var items: Int

    public init(ratings: Int, users: Int, items: Int) {
        self.ratings = ratings
        self.users = users
        self.items = items
    }
}

/// One user's ratings (``Store/userRatings(_:)``).
public struct UserRatings: Sendable, Equatable {
    /// Rated item IDs, ascending, with `values` alongside.
    public var items: [Int64] = []
    public var values: [Float] = []
    /// The newest change sequence of the user's ratings, deleted ratings or
    /// deletion; 0 when nothing was ever stored for the user.
    public var lastSequence: Int64 = 0

    public init() {}
}
