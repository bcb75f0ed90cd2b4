/// `hello`: protocol version, server version and model info.
public struct HelloRequest: ParameterlessOperation {
    public typealias Result = HelloResult
    public static let op = Op.hello
    public init() {}
}

/// `ping`: liveness.
public struct PingRequest: ParameterlessOperation {
    public typealias Result = PingResult
    public static let op = Op.ping
    public init() {}
}

/// `status`: counts, model, training, counters.
public struct StatusRequest: ParameterlessOperation {
    public typealias Result = StatusResult
    public static let op = Op.status
    public init() {}
}

/// `metrics`: Prometheus text exposition.
public struct MetricsRequest: ParameterlessOperation {
    public typealias Result = MetricsResult
    public static let op = Op.metrics
    public init() {}
}

/// `recommend {user, n=10, exclude_seen=true, exclude=[], include?, explain=false}`.
public struct RecommendRequest: WireOperation {
    public typealias Result = RecommendResult
    public static let op = Op.recommend
    public var user: Int64
    public var n: Int
    public var excludeSeen: Bool
    public var exclude: [Int64]
    /// When present, only these items are candidates (seen ones still excluded unless `exclude_seen` is false).
    public var include: [Int64]?
    public var explain: Bool

    public init(user: Int64, n: Int = 10, excludeSeen: Bool = true, exclude: [Int64] = [],
                include: [Int64]? = nil, explain: Bool = false) {
        self.user = user; self.n = n; self.excludeSeen = excludeSeen
        self.exclude = exclude; self.include = include; self.explain = explain
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case user, n, exclude, include, explain
        case excludeSeen = "exclude_seen"
    }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        user = try r.required(.user)
        n = try r.count(.n, default: 10)
        excludeSeen = try r.optional(.excludeSeen, default: true)
        exclude = try r.optional(.exclude, default: [])
        include = try r.optional(.include)
        explain = try r.optional(.explain, default: false)
    }
}

/// `predict {user, item}`.
public struct PredictRequest: WireOperation {
    public typealias Result = PredictResult
    public static let op = Op.predict
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

/// `similar_items {item, n=10}`: cosine of item factors.
public struct SimilarItemsRequest: WireOperation {
    public typealias Result = SimilarItemsResult
    public static let op = Op.similarItems
    public var item: Int64
    public var n: Int

    public init(item: Int64, n: Int = 10) { self.item = item; self.n = n }

    enum CodingKeys: String, CodingKey, CaseIterable { case item, n }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        item = try r.required(.item)
        n = try r.count(.n, default: 10)
    }
}

/// `similar_users {user, n=10}`: cosine of user factors.
public struct SimilarUsersRequest: WireOperation {
    public typealias Result = SimilarUsersResult
    public static let op = Op.similarUsers
    public var user: Int64
    public var n: Int

    public init(user: Int64, n: Int = 10) { self.user = user; self.n = n }

    enum CodingKeys: String, CodingKey, CaseIterable { case user, n }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        user = try r.required(.user)
        n = try r.count(.n, default: 10)
    }
}

/// `user {user, top=10}`: details of one user.
public struct UserRequest: WireOperation {
    public typealias Result = UserResult
    public static let op = Op.user
    public var user: Int64
    public var top: Int

    public init(user: Int64, top: Int = 10) { self.user = user; self.top = top }

    enum CodingKeys: String, CodingKey, CaseIterable { case user, top }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        user = try r.required(.user)
        top = try r.count(.top, default: 10)
    }
}

/// `item {item}`: details of one item.
public struct ItemRequest: WireOperation {
    public typealias Result = ItemResult
    public static let op = Op.item
    public var item: Int64

    public init(item: Int64) { self.item = item }

    enum CodingKeys: String, CodingKey, CaseIterable { case item }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        item = try r.required(.item)
    }
}

/// `train_status {job?}`: one job (train or tune), the latest when `job` is absent.
public struct TrainStatusRequest: WireOperation {
    public typealias Result = JobInfo
    public static let op = Op.trainStatus
    public var job: Int64?

    public init(job: Int64? = nil) { self.job = job }

    enum CodingKeys: String, CodingKey, CaseIterable { case job }

    public init(from decoder: any Decoder) throws {
        let r = try ParamReader(decoder, CodingKeys.self)
        job = try r.optional(.job)
    }
}
