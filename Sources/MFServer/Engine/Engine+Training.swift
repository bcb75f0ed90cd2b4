import Foundation
import MFCore
import MFProtocol
import MFStore

extension Engine {
    /// `train {wait, search}`: starts a background retrain (searching first with `search`), cancelling
    /// a running `ranker` job (an imported model's, which the retrain replaces); with `wait`,
    /// returns when it ends, and joins a job already running instead of failing with
    /// `training_in_progress`. `progress` follows the job.
    public func train(wait: Bool, search: Bool = false, progress: OperationProgress? = nil) async throws -> JobInfo {
        await jobs.cancelRunning(.ranker)  // the retrained model brings its own ranker
        let id = try wait ? startOrJoinTraining(search: search) : startTraining(reason: "requested", search: search)
        progress?.follow { [jobs] in jobs.progress(id) }
        if wait, let task = jobs.task(id) { return await task.value }
        return jobs.job(id) ?? JobInfo(job: id, kind: .train, state: .queued, progress: 0)
    }

    /// A new training job, or the running one (train or tune) when there is one.
    private func startOrJoinTraining(search: Bool) throws -> Int64 {
        while true {
            do { return try startTraining(reason: "requested", search: search) } catch let e as WireError where e.code == .trainingInProgress {
                // It may have ended between the two looks: then start one after all.
                if let running = jobs.running {
                    logger.info("train waits for the job already running", metadata: ["job": "\(running.id)"])
                    return running.id
                }
            }
        }
    }

    /// `train_status {job?}`.
    public func trainStatus(_ job: Int64?) throws -> JobInfo {
        guard let j = jobs.job(job) else {
            throw WireError(.notFound, job.map { "no job \($0)" } ?? "no training job yet", field: job == nil ? nil : "job")
        }
        return j
    }

    /// Registers a job and runs it on a detached task; returns its id.
    @discardableResult
    func startTraining(reason: String, search: Bool = false) throws -> Int64 {
        let id = try jobs.begin(kind: .train)
        logger.info("training started", metadata: ["job": "\(id)", "reason": "\(reason)"])
        let task = Task.detached { [self] in await self.runTraining(job: id, search: search) }
        jobs.attach(id, task: task)
        return id
    }

    /// Snapshot → train → save → swap → replay. Never throws: the job records the outcome.
    func runTraining(job id: Int64, search: Bool = false) async -> JobInfo {
        let cfg = trainingSettings
        let start = Date()
        var stages: [(String, ContinuousClock.Instant)] = [("read", .now)]
        await testDelay(.train)
        jobs.step(id, "read") { $0.state = .running }
        do {
            let mark = await writer.pendingCount().count
            let fitted = try await fit(job: id, config: cfg, changes: mark, searchRequested: search, stages: &stages)
            let (model, users, items, ratingCount, sequence) = (fitted.model, fitted.users, fitted.items, fitted.ratings, fitted.sequence)
            stages.append(("save", .now))
            jobs.step(id, "save")
            let last = jobs.job(id)?.epochs.last
            let rmse = last?.trainRMSE ?? 0
            let held = fitted.heldOut == nil ? nil : cfg.holdoutFraction
            let metrics = TrainingMetrics(trainRMSE: rmse, holdoutRMSE: last?.holdoutRMSE, ratings: ratingCount,
                                          durationSeconds: Date().timeIntervalSince(start),
                                          holdoutFraction: held, holdoutSeed: held == nil ? nil : cfg.seed,
                                          holdoutRatings: held == nil ? nil : fitted.heldOut ?? 0,
                                          warmStartModel: fitted.warmStartModel, iterations: fitted.iterations, search: fitted.search)
            let parts = model.parts()
            let record = ModelRecord(algorithm: cfg.model.algorithm, hyperparameters: Self.json(fitted.training), metrics: Self.json(metrics),
                                     trainingLog: Self.json(jobs.job(id)?.epochs ?? []), sequence: sequence,
                                     k: model.factors, userIDs: users.ids, itemIDs: items.ids,
                                     arrays: parts.arrays, scalars: parts.scalars)
            let modelID = try await store.saveModel(record)
            store.releaseMemory()  // the model's pages filled the writer's cache
            stages.append(("install", .now))
            jobs.step(id, "install")
            let base = ModelBase(model: model, users: users, items: items, id: modelID, trainedAt: Date(),
                                 algorithm: cfg.model.algorithm, sequence: sequence)
            await writer.install(base, changesAtSnapshot: mark)
            try? await store.checkpoint()  // the model's pages, from the WAL into the database file
            Heap.trim()  // the training's matrices are gone
            stages.append(("", .now))
            // Seconds per stage, e.g. "read 1.9 fit 27.8 complete 1.4 save 0.3 install 0.6".
            let timing = zip(stages, stages.dropFirst()).map { a, b in
                "\(a.0) " + String(format: "%.1f", (b.1 - a.1).inSeconds)
            }.joined(separator: " ")
            logger.info("training finished", metadata: ["job": "\(id)", "model": "\(modelID)", "ratings": "\(ratingCount)",
                                                        "train_rmse": "\(rmse)", "stages": "\(timing)",
                                                        "holdout_rmse": "\(last?.holdoutRMSE.map { "\($0)" } ?? "none")", "seconds": "\(metrics.durationSeconds)"])
            retrainBackoff.withLock { $0.succeeded() }
            return jobs.finish(id) { j in
                j.state = .succeeded; j.progress = 1; j.stage = nil; j.modelID = modelID; j.metrics = metrics
            }
        } catch {
            let cancelled = Task.isCancelled || (error as? MFCoreError)?.code == "cancelled" || error is CancellationError
            let wire = WireError(engine: error)
            if !cancelled {
                let next = retrainBackoff.withLock { b in b.failed(at: Date()); return b.notBefore ?? Date() }
                logger.error("training failed", metadata: ["job": "\(id)", "error": "\(wire)",
                                                           "next_automatic_retrain_in_s": "\(Int(next.timeIntervalSinceNow.rounded()))"])
            } else {
                logger.info("training ended", metadata: ["job": "\(id)", "error": "\(wire)"])
            }
            return jobs.finish(id) { j in
                j.state = cancelled ? .cancelled : .failed
                j.error = cancelled ? nil : wire
            }
        }
    }

    /// What a fit leaves for saving: the completed model and its ID maps.
    struct Fitted {
        let model: MFModel
        let users: IDMap, items: IDMap
        let ratings: Int
        let sequence: Int64
        /// Ratings held out and folded back in; nil when none were.
        let heldOut: Int?
        /// The model a warm start began from (nil: cold), and the sweeps run.
        let warmStartModel: Int64?
        let iterations: Int
        /// The configuration trained with, and the search that chose it (nil: none ran).
        let training: TrainingConfig
        let search: SearchInfo?
    }

    /// Read → split → fit → complete. The training matrix and the split are
    /// released when it returns, before the model is saved and installed.
    /// `changes`: rating changes since the serving model (see `warmStart(for:…)`).
    private func fit(job id: Int64, config cfg: TrainingSettings, changes: Int, searchRequested: Bool,
                     stages: inout [(String, ContinuousClock.Instant)]) async throws -> Fitted {
        // Implicit models predict preferences, not ratings: they hold out only for a search (α by holdout NDCG@10).
        let holds = cfg.model != .implicit || Self.searchReason(cfg, ratings: snapshot.ratingCount, requested: searchRequested) != nil
        let (split, ratingCount, sequence) = try await TrainingHoldout.read(
            from: store, fraction: holds ? cfg.holdoutFraction : 0, seed: cfg.seed)
        if let reason = Self.searchReason(cfg, ratings: ratingCount, requested: searchRequested), let holdout = split.holdout {
            stages.append(("search", .now))
            let searched = try await search(job: id, split: split, holdout: holdout, config: cfg, ratings: ratingCount, reason: reason)
            try Task.checkCancellation()
            stages.append(("complete", .now))
            let threads = cfg.threads > 0 ? cfg.threads : ProcessInfo.processInfo.activeProcessorCount
            let model = try split.completed(searched.model, entries: snapshot, threads: threads)
            return Fitted(model: model, users: split.users, items: split.items, ratings: ratingCount, sequence: sequence,
                          heldOut: split.replayUsers.isEmpty ? nil : holdout.count, warmStartModel: nil,
                          iterations: cfg.iterations, training: searched.training, search: searched.info)
        }
        let warm = warmStart(for: cfg, users: split.users, items: split.items, ratings: ratingCount, changes: changes)
        var run = cfg
        if warm != nil { run.iterations = cfg.warmSweeps }
        let iterations = run.iterations
        if let warm { logger.info("training starts warm", metadata: ["job": "\(id)", "from_model": "\(warm.model)", "iterations": "\(iterations)"]) }
        jobs.step(id, "epoch", 0, of: iterations)
        stages.append(("fit", .now))
        let trained = try await trainModel(split.matrix, users: split.users, items: split.items, config: run,
                                           holdout: split.holdout, warmStart: warm?.start) { [jobs] report in
            jobs.step(id, "epoch", report.epoch, of: iterations) { j in
                j.epochs.append(EpochInfo(epoch: report.epoch, loss: report.loss, trainRMSE: report.rmse,
                                          holdoutRMSE: report.holdoutRMSE))
            }
            return !Task.isCancelled
        }
        try Task.checkCancellation()
        stages.append(("complete", .now))
        jobs.step(id, "complete")
        let threads = cfg.threads > 0 ? cfg.threads : ProcessInfo.processInfo.activeProcessorCount
        let model = try split.completed(trained, entries: snapshot, threads: threads)
        return Fitted(model: model, users: split.users, items: split.items, ratings: ratingCount, sequence: sequence,
                      heldOut: split.replayUsers.isEmpty ? nil : split.holdout?.count ?? 0,
                      warmStartModel: warm?.model, iterations: iterations, training: run.training, search: nil)
    }

    /// Starts a retrain when the policy says so (`auto`: after N changes or T minutes).
    func checkRetrainPolicy() async {
        let cfg = trainingSettings
        guard cfg.retrain == .auto, !jobs.isRunning, retrainBackoff.withLock({ $0.allows(at: Date()) }) else { return }
        let (pending, since) = await writer.pendingCount()
        guard pending > 0 else { return }
        let byCount = cfg.retrainAfterChanges > 0 && pending >= cfg.retrainAfterChanges
        let byTime = cfg.retrainAfterMinutes > 0 && since.map { Date().timeIntervalSince($0) >= cfg.retrainAfterMinutes * 60 } ?? false
        let noModel = snapshot.base == nil
        if byCount || byTime || noModel {
            _ = try? startTraining(reason: noModel ? "no model" : byCount ? "\(pending) changes" : "\(cfg.retrainAfterMinutes) minutes")
        }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = .sortedKeys
        return (try? e.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
