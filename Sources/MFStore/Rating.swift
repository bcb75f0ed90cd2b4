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
