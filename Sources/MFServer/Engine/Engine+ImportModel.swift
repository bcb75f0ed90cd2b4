import Foundation
import MFCore
import MFProtocol
import MFStore

extension Engine {
    /// `import_model_begin {manifest}`: opens a session owned by `connection`
    /// (the request's `RequestContext.connectionID`; 0 for a caller without one).
    public func importModelBegin(_ r: ImportModelBeginRequest, connection: UInt64 = 0) throws -> ImportBeginResult {
        ImportBeginResult(import: try modelImports.begin(r.manifest, connection: connection), maxChunkBytes: ImportSessions.maxChunkBytes)
    }

    /// `import_model_rows {import, side, rows | *_base64 columns}` for a session `connection` began; any other token is `not_found`.
    public func importModelRows(_ r: ImportModelRowsRequest, connection: UInt64 = 0) throws -> ImportModelRowsResult {
        guard r.rowCount <= configuration.maxBatch else {
            throw WireError(.invalidValue, "\(r.rowCount) rows exceed max_batch \(configuration.maxBatch)", field: "rows")
        }
        return try modelImports.rows(r, connection: connection)
    }

    /// `import_model_commit {import}`: checks counts and IDs, saves the model
    /// through the normal atomic save, swaps it in like a retrain, and folds in
    /// what changed after the manifest's `sequence` (or users/items the model lacks);
    /// then starts the job that trains the model's ranker on the stored ratings
    /// (`ranker_job` in the reply), which swaps it in when done.
    /// The session must be one `connection` began; any other token is `not_found`.
    public func importModelCommit(_ token: String, connection: UInt64 = 0) async throws -> ImportModelResult {
        try await recordedModelCommit(token, modelImports.take(token, connection: connection))
    }

    /// Commits a session already taken (`ModelImportSessions.take`). The model
    /// is saved with `token`'s receipt in one transaction, so `import_status`
    /// knows after a restart that it committed.
    func importModelCommit(_ session: ModelImportSessions.Session, token: String) async throws -> ImportModelResult {
        // A ranker job is for the model this import replaces: cancelled, and started again if the import fails.
        guard jobs.runningKind == nil || jobs.runningKind == .ranker else {
            throw WireError(.trainingInProgress, "a training job is running; import the model when it ends (see train_status)")
        }
        let cancelled = await jobs.cancelRunning(.ranker)
        do { return try await commitModel(session, token: token) } catch {
            resumeRankerJob(after: cancelled, error)
            throw error
        }
    }

    private func commitModel(_ session: ModelImportSessions.Session, token: String) async throws -> ImportModelResult {
        guard !jobs.isRunning else {
            throw WireError(.trainingInProgress, "a training job is running; import the model when it ends (see train_status)")
        }
        let m = session.manifest, s = snapshot
        var stages: [(String, ContinuousClock.Instant)] = [("receive", session.began), ("check", .now)]
        for (side, got, want) in [("users", session.users.ids.count, m.users), ("items", session.items.ids.count, m.items)] where got != want {
            throw WireError(.invalidModel, "received \(got) \(side) rows; the manifest says \(want)", field: "manifest.\(side)")
        }
        if let n = session.users.ids.firstIndex(where: { s.users[$0] == nil }) {
            throw WireError(.invalidModel, "user \(session.users.ids[n]) is unknown to this mfd (no ratings or attributes)", field: "users[\(n)]")
        }
        if let n = session.items.ids.firstIndex(where: { s.items[$0] == nil }) {
            throw WireError(.invalidModel, "item \(session.items.ids[n]) is unknown to this mfd", field: "items[\(n)]")
        }
        var session = session
        // The old items first, in their order: the users' `seen` lists stay valid (EngineWriter.install).
        if let old = s.base?.items { ModelImportSessions.align(&session.items, k: m.k, to: old.ids) }
        stages.append(("build", .now))
        let popularity = await writer.itemPopularity(session.items.ids, threshold: Float(m.globalMean))
        let model = try buildModel(session, popularity: popularity)
        let mark = await writer.pendingCount().count
        let sequence = m.sequence ?? s.sequence
        // `recommend` ranks an imported model as mfd's own, with a ranker trained on the stored
        // ratings; that is a job after this commit, and the mark lets a restart start it again.
        let ranks = s.ratingCount > 0
        var parts = model.parts()  // the model's own arrays (no copy)
        if ranks { parts.scalars[Self.rankerPendingScalar] = 1 }
        let record = ModelRecord(algorithm: m.algorithm, hyperparameters: Self.json(m.params), metrics: "{}", trainingLog: "[]",
                                 sequence: sequence, k: m.k, userIDs: session.users.ids, itemIDs: session.items.ids,
                                 arrays: parts.arrays, scalars: parts.scalars)
        stages.append(("save", .now))
        let modelID = try await store.saveModel(record, receipt: (token, { id in
            Self.receiptText(ImportModelResult(modelID: id, users: m.users, items: m.items, factors: m.k, replayed: 0))
        }))
        stages.append(("install", .now))
        let base = ModelBase(model: model, users: IDMap(ids: session.users.ids), items: IDMap(ids: session.items.ids),
                             id: modelID, trainedAt: Date(), algorithm: m.algorithm, sequence: sequence)
        let replayed = await writer.install(base, changesAtSnapshot: m.sequence == nil ? mark : 0)
        // The ranker job checkpoints the model's pages into the database file first; without one, this does.
        stages.append(("ranker", .now))
        let rankerJob = ranks ? try? startRankerJob(model: modelID, reason: "model imported") : nil
        if rankerJob == nil { try? await store.checkpoint() }
        // e.g. "receive 0.412 check 0.009 build 0.035 save 0.180 install 0.021"
        logger.info("model imported", metadata: ["model": "\(modelID)", "algorithm": "\(m.algorithm)", "users": "\(m.users)",
                                                 "items": "\(m.items)", "k": "\(m.k)", "replayed_users": "\(replayed)",
                                                 "ranker_job": "\(rankerJob.map { "\($0)" } ?? "none")",
                                                 "stages": "\(Self.stageTimes(stages))"])
        let result = ImportModelResult(modelID: modelID, users: m.users, items: m.items, factors: m.k, replayed: replayed, rankerJob: rankerJob)
        // `replayed` is known once installed; a crash before this line leaves the receipt's 0 (the restart replays anyway).
        if replayed > 0 || rankerJob != nil { _ = try? await store.updateImportReceipt(token, text: Self.receiptText(result)) }
        return result
    }

    /// A receipt's text: the answer's JSON.
    static func receiptText<R: Encodable>(_ r: R) -> String {
        (try? JSONEncoder().encode(r)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The MFModel for an import: fold-in uses the current training settings,
    /// with Spark's count-scaled `regParam` as λ when the manifest gives it.
    /// The session's arrays become the model's (no copy).
    func buildModel(_ session: ModelImportSessions.Session, popularity: [Float]) throws -> MFModel {
        let m = session.manifest
        var solver = SolverParams(trainingSettings.training)
        if case .number(let reg)? = m.params["regParam"] ?? m.params["reg_param"], reg >= 0 {
            solver.lambda = Float(reg); solver.weightedLambda = true; solver.lambdaExponent = 1
        }
        solver.implicitWeight = 0
        do {
            return try MFModel(factors: m.k, globalMean: Float(m.globalMean), minRating: Float(configuration.ratingMin),
                               maxRating: Float(configuration.ratingMax), userBias: session.users.bias,
                               userFactors: session.users.factors, itemBias: session.items.bias,
                               itemFactors: session.items.factors, itemPopularity: popularity, solver: solver)
        } catch {
            throw WireError(.invalidModel, "model rejected: \(WireError(engine: error).message)")
        }
    }
}
