import MFCore
import MFProtocol
import MFStore

/// Reads while the engine loads (`EngineSnapshot.partial`): the stored model
/// answers, and the user's ratings come from the store, one primary-key read
/// per request, so `exclude_seen` and fold-in see exactly what a loaded engine
/// would. A user whose answer needs what only the full load brings (popularity
/// counts) waits for it.
extension Engine {
    /// `recommend` during loading; the normal path once loaded.
    func recommendWhileLoading(_ r: RecommendRequest) async throws -> RecommendReply {
        await loading.modelStage.wait()
        let s = snapshot
        if s.partial, let base = s.base, let entry = try await storedEntry(r.user, base: base),
           s.userVector(r.user, entry: entry).vector != nil {
            return try recommendReply(r, in: s, entry: entry)
        }
        try await loaded()
        return try recommendReply(r)
    }

    /// `predict` during loading; the normal path once loaded. Without a user
    /// vector the model's baseline answers, which needs no ratings.
    func predictWhileLoading(_ r: PredictRequest) async throws -> PredictResult {
        await loading.modelStage.wait()
        let s = snapshot
        if s.partial, let base = s.base {
            return predict(r, in: s, entry: try await storedEntry(r.user, base: base))
        }
        try await loaded()
        return predict(r)
    }

    /// The entry the full load will give `user`, from the store: ratings, `seen`,
    /// attributes for a collective model, and marked for fold-in when anything of
    /// the user changed after the model's training snapshot (what the load replays).
    func storedEntry(_ user: Int64, base: ModelBase) async throws -> UserEntry? {
        let stored = try await store.userRatings(user)
        var e = UserEntry()
        if base.model.sideInfo?.users != nil, let record = try await store.user(user) {
            e.attributes = record.attributes
        }
        guard !stored.items.isEmpty || !e.attributes.isEmpty else { return nil }
        e.ratings.append(ids: stored.items[...], values: stored.values[...])
        e.seen = base.seen(e.ratings)
        e.lastSequence = stored.lastSequence
        e.staleFoldIn = stored.lastSequence > base.sequence
        return e
    }
}
