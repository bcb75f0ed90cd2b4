public struct AddRatingResult: Codable, Sendable, Equatable {
    /// The store's change sequence number of this write.
    public var seq: Int64
    public var newUser: Bool
    public var newItem: Bool

    public init(seq: Int64, newUser: Bool, newItem: Bool) { self.seq = seq; self.newUser = newUser; self.newItem = newItem }

    enum CodingKeys: String, CodingKey {
        case seq
        case newUser = "new_user"
        case newItem = "new_item"
    }
}

public struct AddRatingsResult: Codable, Sendable, Equatable {
    public var count: Int
    /// Change sequence number of the batch's last write.
    public var seq: Int64
    public var newUsers: Int
    public var newItems: Int

    public init(count: Int, seq: Int64, newUsers: Int, newItems: Int) {
        self.count = count; self.seq = seq; self.newUsers = newUsers; self.newItems = newItems
    }

    enum CodingKeys: String, CodingKey {
        case count, seq
        case newUsers = "new_users"
        case newItems = "new_items"
    }
}

public struct DeleteRatingResult: Codable, Sendable, Equatable {
    public var seq: Int64
    public init(seq: Int64) { self.seq = seq }
}

public struct DeleteUserResult: Codable, Sendable, Equatable {
    public var seq: Int64
    public var ratingsDeleted: Int

    public init(seq: Int64, ratingsDeleted: Int) { self.seq = seq; self.ratingsDeleted = ratingsDeleted }

    enum CodingKeys: String, CodingKey {
        case seq
        case ratingsDeleted = "ratings_deleted"
    }
}

public struct FoldInResult: Codable, Sendable, Equatable {
    /// Absent for an anonymous (not persisted) user.
    public var user: Int64?
    public var ratings: Int
    public var persisted: Bool
    /// Recommendations for the folded-in user (`n` of them), seen items excluded.
    public var items: [ScoredItem]
    public var source: Source

    public init(user: Int64?, ratings: Int, persisted: Bool, items: [ScoredItem], source: Source) {
        self.user = user; self.ratings = ratings; self.persisted = persisted; self.items = items; self.source = source
    }
}

public struct AddUserResult: Codable, Sendable, Equatable {
    public var user: Int64
    public var created: Bool
    public init(user: Int64, created: Bool) { self.user = user; self.created = created }
}

public struct AddItemResult: Codable, Sendable, Equatable {
    public var item: Int64
    public var created: Bool
    public init(item: Int64, created: Bool) { self.item = item; self.created = created }
}
