import Foundation
import MFCore
import MFProtocol
import MFStore

/// The ranker of an imported model, trained after the import in a background job
/// (docs/scale-out.md, "Which parts of the model come from where").
extension Engine {
    /// The model scalar that marks a stored model whose ranker is still to be trained;
    /// a restart that loads such a model starts the ranker job again.
    static let rankerPendingScalar = "ranker_pending"

    /// Registers a `ranker` job for the serving model `modelID` and runs it on a detached
    /// task. Returns the job id.
    @discardableResult
    func startRankerJob(model modelID: Int64, reason: String) throws -> Int64 {
        let id = try jobs.begin(kind: .ranker)
        jobs.update(id) { $0.modelID = modelID }
        logger.info("ranker training started", metadata: ["job": "\(id)", "model": "\(modelID)", "reason": "\(reason)"])
        let task = Task.detached { [self] in await self.runRanker(job: id, model: modelID) }
        jobs.attach(id, task: task)
        return id
    }

    /// Checkpoint → read → fit → save → install. Never throws: the job records the outcome.
    /// Ends `cancelled` when shut down, or when a newer model replaced `modelID` (import, train).
    func runRanker(job id: Int64, model modelID: Int64) async -> JobInfo {
        let start = ContinuousClock.now
        var stages: [(String, ContinuousClock.Instant)] = [("checkpoint", start)]
        jobs.step(id, "checkpoint") { $0.state = .running }
        do {
            // The model's save left its pages in the WAL: copy them into the database file first.
            try await store.checkpoint()
            await testDelay(.train)  // the train delay stalls a ranker job too (tests)
            try Task.checkCancellation()
            stages.append(("read", .now))
            jobs.step(id, "read")
            // The item rows stored with the model (the served one may have appended more by fold-in).
            guard let base = await writer.base, base.id == modelID,
                  let storedItems = try await store.listModels().first(where: { $0.id == modelID })?.itemCount else {
                throw CancellationError()  // replaced, or pruned
            }
            let config = trainingSettings.training
            let ratings = try await writer.ratingMatrix(users: base.users, items: base.items.ids)
            stages.append(("fit", .now))
            let epochs = config.ranker.iterations ?? max(config.iterations, 1)
            jobs.step(id, "epoch", 0, of: epochs)
            let trained = try base.model.trainRanker(on: ratings, config: config) { [jobs] report in
                jobs.step(id, "epoch", report.epoch, of: epochs)
                return !Task.isCancelled
            }
            try Task.checkCancellation()
            stages.append(("save", .now))
            jobs.step(id, "save")
            let k = base.model.factors
            // The rows of the stored model (the served one may have appended items since).
            let arrays = trained.map { r in
                ["ranker_user_factors": r.userFactors, "ranker_item_factors": Array(r.itemFactors.prefix(storedItems * k))]
            } ?? [:]
            var scalars: [String: Double] = [:]
            if let f = trained?.feedback {
                scalars = ["ranker_alpha": Double(f.alpha), "ranker_lambda": Double(f.lambda), "ranker_threshold": Double(f.threshold),
                           "ranking_implicit_weight": Double(config.ranking.implicitWeight),
                           "ranking_item_bias_weight": Double(config.ranking.itemBiasWeight),
                           "ranking_rating_weight": Double(config.ranking.ratingWeight)]
            }
            guard try await store.addModelParts(modelID, arrays: arrays, scalars: scalars, removing: [Self.rankerPendingScalar]) else {
                throw CancellationError()  // pruned: a newer model is serving
            }
            stages.append(("install", .now))
            jobs.step(id, "install")
            if let trained {
                let installed = try await writer.attachRanker(trained, ranking: config.ranking, to: modelID, trainedItems: ratings.itemCount)
                guard installed else { throw CancellationError() }
            }
            try await store.checkpoint()
            stages.append(("", .now))
            let timing = zip(stages, stages.dropFirst()).map { a, b in "\(a.0) " + String(format: "%.2f", (b.1 - a.1).inSeconds) }
            logger.info("ranker trained", metadata: ["job": "\(id)", "model": "\(modelID)", "ratings": "\(ratings.count)",
                                                     "liked": "\(trained != nil)", "stages": "\(timing.joined(separator: " "))"])
            return jobs.finish(id) { j in
                j.state = .succeeded; j.progress = 1; j.stage = nil
            }
        } catch {
            let cancelled = Task.isCancelled || (error as? MFCoreError)?.code == "cancelled" || error is CancellationError
            let wire = WireError(engine: error)
            if cancelled {
                logger.info("ranker training ended", metadata: ["job": "\(id)", "model": "\(modelID)", "reason": "cancelled or replaced"])
            } else {
                logger.error("ranker training failed", metadata: ["job": "\(id)", "model": "\(modelID)", "error": "\(wire)"])
            }
            return jobs.finish(id) { j in
                j.state = cancelled ? .cancelled : .failed
                j.error = cancelled ? nil : wire
            }
        }
    }
}

extension EngineWriter {
    /// Swaps in the serving model with `ranker` when it is still model `modelID`; false when
    /// another model replaced it. Like a retrain's swap at the model's own sequence: users
    /// folded in since get re-solved (their ranker rows with them), as do the items the model
    /// appended after the ranker read `trainedItems` of them.
    func attachRanker(_ ranker: Ranker, ranking: RankingConfig, to modelID: Int64, trainedItems: Int) throws -> Bool {
        guard let b = base, b.id == modelID else { return false }
        let model = try b.model.withRanker(ranker, ranking: ranking)
        let newBase = ModelBase(model: model, users: b.users, items: b.items, id: b.id, trainedAt: b.trainedAt,
                                algorithm: b.algorithm, sequence: b.sequence)
        install(newBase, changesAtSnapshot: 0, resolving: Array(b.items.ids.dropFirst(trainedItems)))
        return true
    }
}

extension Engine {
    /// Starts the ranker job again for the serving model when `cancelled` (a job of the
    /// serving model cancelled by an import that then failed) and the model still lacks it.
    func resumeRankerJob(after cancelled: Int64?, _ error: any Error) {
        guard let cancelled, let base = snapshot.base, base.model.ranker == nil,
              jobs.job(cancelled)?.modelID == base.id else { return }
        do { try startRankerJob(model: base.id, reason: "the import that cancelled it failed: \(WireError(engine: error).message)") } catch {
            logger.error("ranker job not started", metadata: ["model": "\(base.id)", "error": "\(error)"])
        }
    }
}
