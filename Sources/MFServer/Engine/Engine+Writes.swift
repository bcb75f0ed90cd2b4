import Foundation
import MFCore
import MFProtocol
import MFStore
import NIOCore

extension Engine {
    /// `add_rating`: durable, then folded in.
    public func addRating(_ r: AddRatingRequest) async throws -> AddRatingResult {
        try await writer.addRatings(try ratings(r)).single
    }

    /// `add_ratings`: one atomic batch.
    public func addRatings(_ r: AddRatingsRequest) async throws -> AddRatingsResult {
        try await writer.addRatings(try ratings(r))
    }

    /// `add_rating` through the write queue (shares a commit and a publish with
    /// concurrent writes); the future completes on `loop`. Throws on invalid input.
    public func addRating(_ r: AddRatingRequest, on loop: any EventLoop) throws -> EventLoopFuture<AddRatingResult> {
        ratingWrites.submit(try ratings(r), on: loop).map(\.single)
    }

    /// `add_ratings` through the write queue; one atomic batch.
    public func addRatings(_ r: AddRatingsRequest, on loop: any EventLoop) throws -> EventLoopFuture<AddRatingsResult> {
        ratingWrites.submit(try ratings(r), on: loop)
    }

    func ratings(_ r: AddRatingRequest) throws -> [MFStore.Rating] {
        [Rating(user: r.user, item: r.item, value: try checkRating(r.rating, field: "rating"), timestamp: r.timestamp ?? Self.now())]
    }

    func ratings(_ r: AddRatingsRequest) throws -> [MFStore.Rating] {
        try checkBatch(r.ratings.count, field: "ratings")
        let now = Self.now()
        return try r.ratings.enumerated().map { j, t in
            Rating(user: t.user, item: t.item, value: try checkRating(t.rating, field: "ratings[\(j)][2]"), timestamp: t.timestamp ?? now)
        }
    }

    public func deleteRating(_ r: DeleteRatingRequest) async throws -> DeleteRatingResult {
        do { return try await writer.deleteRating(user: r.user, item: r.item) } catch MFStoreError.notFound {
            throw WireError(.notFound, "user \(r.user) has no rating of item \(r.item)")
        }
    }

    public func deleteUser(_ r: DeleteUserRequest) async throws -> DeleteUserResult {
        try await writer.deleteUser(r.user)
    }

    public func addUser(_ r: AddUserRequest) async throws -> AddUserResult { try await writer.addUser(r) }

    public func addItem(_ r: AddItemRequest) async throws -> AddItemResult { try await writer.addItem(r) }

    /// `fold_in`: persisted like `add_ratings` for `user`, or solved for an anonymous user.
    public func foldIn(_ r: FoldInRequest) async throws -> FoldInResult {
        try checkBatch(r.ratings.count, field: "ratings")
        let values = try r.ratings.enumerated().map { j, x in try checkRating(x.rating, field: "ratings[\(j)][1]") }
        if r.persist, let user = r.user {
            let now = Self.now()
            _ = try await writer.addRatings(zip(r.ratings, values).map { Rating(user: user, item: $0.item, value: $1, timestamp: now) })
            let rec = try recommend(RecommendRequest(user: user, n: r.n))
            return FoldInResult(user: user, ratings: r.ratings.count, persisted: true, items: rec.items, source: rec.source)
        }
        return try anonymousFoldIn(r, values: values)
    }

    /// Solves a throw-away user vector; nothing is stored.
    func anonymousFoldIn(_ r: FoldInRequest, values: [Float]) throws -> FoldInResult {
        let s = snapshot
        guard let base = s.base else {
            let items = s.popular(n: r.n, excluding: Set(r.ratings.map(\.item)), include: nil)
            return FoldInResult(user: r.user, ratings: r.ratings.count, persisted: false, items: items, source: .popular)
        }
        var idx: [Int32] = [], vals: [Float] = []
        for (x, v) in zip(r.ratings, values) {
            if let i = base.items.index(of: x.item) { idx.append(i); vals.append(v) }
        }
        // A named user's stored attributes join the solve of a collective model.
        let attrs = base.model.sideInfo?.users == nil ? [:] : r.user.flatMap { s.users[$0]?.attributes } ?? [:]
        let v = try base.foldIn.user(items: idx, ratings: vals, attributes: attrs)
        let top = try base.model.topN(user: v, n: r.n, excludeSorted: idx.sorted())
        return FoldInResult(user: r.user, ratings: r.ratings.count, persisted: false,
                            items: top.map { s.scored(base.items.id(at: $0.item), score: $0.score) }, source: .foldedIn)
    }

    func checkRating(_ v: Double, field: String) throws -> Float {
        guard v.isFinite, v >= configuration.ratingMin, v <= configuration.ratingMax else {
            throw WireError(.invalidRating, "rating \(v) is outside the scale \(configuration.ratingMin)...\(configuration.ratingMax)", field: field)
        }
        return Float(v)
    }

    func checkBatch(_ n: Int, field: String) throws {
        guard n <= configuration.maxBatch else {
            throw WireError(.batchTooLarge, "\(n) ratings in one request; the limit is \(configuration.maxBatch)", field: field)
        }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
