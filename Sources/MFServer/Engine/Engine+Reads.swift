import Foundation
import MFCore
import MFProtocol

extension Engine {
    /// `recommend`: model or folded-in factors, else popularity.
    public func recommend(_ r: RecommendRequest) throws -> RecommendResult {
        try recommendReply(r).result
    }

    /// `recommend` with each item's catalogue JSON from the same snapshot (the reply's fast path).
    func recommendReply(_ r: RecommendRequest) throws -> RecommendReply {
        try recommendReply(r, in: snapshot)
    }

    /// `recommend` against the given snapshot (the reply cache keys its entries by it).
    func recommendReply(_ r: RecommendRequest, in s: EngineSnapshot, entry: UserEntry?? = nil) throws -> RecommendReply {
        let result = try recommend(r, in: s, entry: entry ?? s.users[r.user])
        return RecommendReply(result: result, catalogueJSON: result.items.map {
            s.items[$0.item]?.catalogueJSON ?? RecommendReply.noCatalogueJSON
        })
    }

    private func recommend(_ r: RecommendRequest, in s: EngineSnapshot, entry: UserEntry?) throws -> RecommendResult {
        guard let base = s.base else {
            return RecommendResult(user: r.user, items: s.popular(n: r.n, excluding: Set(r.exclude).union(
                r.excludeSeen ? (entry?.ratings.ids ?? []) : []), include: r.include), source: .popular)
        }
        let (vector, source) = s.userVector(r.user, entry: entry)
        var exclude = r.excludeSeen ? (entry?.seen ?? []) : []  // ascending
        if !r.exclude.isEmpty {
            exclude.append(contentsOf: r.exclude.compactMap { base.items.index(of: $0) })
            exclude.sort()
        }
        let include = r.include.map { $0.compactMap { base.items.index(of: $0) } }
        let top = try base.model.topN(user: vector, n: r.n, excludeSorted: exclude, include: include)
        let why = r.explain && vector != nil ? entry.map { s.explanations(targets: top.map(\.item), user: $0, base: base) } : nil
        let items = top.enumerated().map { n, t -> ScoredItem in
            let id = base.items.id(at: t.item)
            var out = s.scored(id, score: vector == nil ? s.dampedMean(id) : t.score)
            out.because = why?[n]
            return out
        }
        return RecommendResult(user: r.user, items: items, source: source)
    }

    /// `predict`: the rating model, or a baseline when a factor row is missing.
    public func predict(_ r: PredictRequest) -> PredictResult { predict(r, in: snapshot) }

    func predict(_ r: PredictRequest, in s: EngineSnapshot, entry: UserEntry?? = nil) -> PredictResult {
        guard let base = s.base else {
            let mean = s.items[r.item]?.mean ?? s.globalMean
            return PredictResult(user: r.user, item: r.item, value: Float(mean), source: .baseline)
        }
        let (vector, source) = s.userVector(r.user, entry: entry ?? s.users[r.user])
        let p = base.model.predict(user: vector, item: base.items.index(of: r.item))
        return PredictResult(user: r.user, item: r.item, value: p.value, source: p.source == .model ? source : .baseline)
    }

    /// `similar_items`: cosine of item factors.
    public func similarItems(_ r: SimilarItemsRequest) throws -> SimilarItemsResult {
        let s = snapshot
        guard s.items[r.item] != nil else { throw WireError(.unknownItem, "item \(r.item) is unknown", field: "item") }
        guard let base = s.base else { throw WireError(.noModel, "no trained model yet; run train") }
        guard let i = base.items.index(of: r.item) else {
            throw WireError(.unknownItem, "item \(r.item) has no ratings, so no factors yet", field: "item")
        }
        // All-zero factors (rated only by users the model cannot place yet) are
        // at cosine 0 from everything: a list would be noise.
        guard base.model.itemNorms[Int(i)] > 0 else {
            throw WireError(.unknownItem, "item \(r.item) has no usable factors yet: its ratings come from users the model "
                            + "cannot place; it gets factors once raters the model knows rate it, or at the next training", field: "item")
        }
        let top = try base.model.similarItems(i, n: r.n)
        return SimilarItemsResult(item: r.item, items: top.map { s.scored(base.items.id(at: $0.item), score: $0.score) })
    }

    /// `similar_users`: cosine of user factors, folded-in users included.
    public func similarUsers(_ r: SimilarUsersRequest) throws -> SimilarUsersResult {
        let s = snapshot
        guard let entry = s.users[r.user] else { throw WireError(.unknownUser, "user \(r.user) has no data", field: "user") }
        guard let base = s.base else { throw WireError(.noModel, "no trained model yet; run train") }
        guard let v = s.userVector(r.user, entry: entry).vector else {
            throw WireError(.unknownUser, "user \(r.user) has no factors yet", field: "user")
        }
        let norm = Self.norm(v.factors)
        var scored: [ScoredUser] = []
        scored.reserveCapacity(s.users.count)
        s.users.forEach { id, e in
            guard id != r.user, let w = s.userVector(id, entry: e).vector else { return }
            let d = zip(v.factors, w.factors).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            let n = norm * Self.norm(w.factors)
            if n > 0 { scored.append(ScoredUser(user: id, score: d / n)) }
        }
        _ = base
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.user < $1.user }
        return SimilarUsersResult(user: r.user, users: Array(scored.prefix(r.n)))
    }

    /// `user`: counts, mean, bias, attributes, top-rated items.
    public func user(_ r: UserRequest) throws -> UserResult {
        let s = snapshot
        guard let e = s.users[r.user] else { throw WireError(.unknownUser, "user \(r.user) has no data", field: "user") }
        let order = e.ratings.ids.indices.sorted {
            e.ratings.values[$0] != e.ratings.values[$1] ? e.ratings.values[$0] > e.ratings.values[$1] : e.ratings.ids[$0] < e.ratings.ids[$1]
        }
        let top = order.prefix(r.top).map { j in
            RatedItem(item: e.ratings.ids[j], rating: Double(e.ratings.values[j]), title: s.items[e.ratings.ids[j]]?.title)
        }
        let v = s.userVector(r.user, entry: e).vector
        return UserResult(user: r.user, ratings: e.ratings.count, mean: e.ratings.mean, bias: v?.bias,
                          foldedIn: e.hasFoldIn, attributes: e.attributes, topRated: top)
    }

    /// `item`: catalogue data, counts and bias.
    public func item(_ r: ItemRequest) throws -> ItemResult {
        let s = snapshot
        guard let e = s.items[r.item] else { throw WireError(.unknownItem, "item \(r.item) is unknown", field: "item") }
        let bias = s.base.flatMap { b in b.items.index(of: r.item).map { b.model.itemBias[Int($0)] } }
        return ItemResult(item: r.item, title: e.title, genres: e.genres, attributes: e.attributes,
                          ratings: e.ratingCount, mean: e.mean, bias: bias)
    }

    /// `hello`.
    public func hello() -> HelloResult {
        HelloResult(server: configuration.serverName, model: snapshot.modelInfo, limits: limits)
    }

    var limits: Limits {
        Limits(maxLineBytes: configuration.maxLineBytes, maxBatch: configuration.maxBatch,
               ratingMin: configuration.ratingMin, ratingMax: configuration.ratingMax)
    }

    /// `status`; the server adds connections and request counters.
    public func status(connections: Int, requests: [String: Int], errors: Int) -> StatusResult {
        let s = snapshot
        let cells = Double(s.users.count) * Double(s.items.count)
        let (last, running) = jobs.lastAndRunning()
        return StatusResult(server: configuration.serverName, uptimeSeconds: Date().timeIntervalSince(startedAt),
                            ratings: s.ratingCount, users: s.users.count, items: s.items.count,
                            density: cells > 0 ? Double(s.ratingCount) / cells : 0, model: s.modelInfo,
                            lastTraining: last, running: running, pendingChanges: s.pendingChanges,
                            connections: connections, requests: requests, errors: errors, config: trainingSettings,
                            loading: loading.progress, retrainBackoff: retrainBackoff.withLock { $0.info(at: Date()) },
                            imports: Optional(ledger.open).flatMap { $0.isEmpty ? nil : $0 }, kernels: KernelPath.active.rawValue)
    }

    static func norm(_ x: [Float]) -> Float { x.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot() }
}
