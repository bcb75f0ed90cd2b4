import Foundation
import MFCore
import MFProtocol
import MFStore

extension Engine {
    /// `train {wait}`: starts a background retrain; with `wait`, returns when it ends.
    public func train(wait: Bool) async throws -> JobInfo {
        let id = try startTraining(reason: "requested")
        if wait, let task = jobs.task(id) { return await task.value }
        return jobs.job(id) ?? JobInfo(job: id, kind: .train, state: .queued, progress: 0)
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
    func startTraining(reason: String) throws -> Int64 {
        let id = try jobs.begin(kind: .train)
        logger.info("training started", metadata: ["job": "\(id)", "reason": "\(reason)"])
        let task = Task.detached { [self] in await self.runTraining(job: id) }
        jobs.attach(id, task: task)
        return id
    }

    /// Snapshot → train → save → swap → replay. Never throws: the job records the outcome.
    func runTraining(job id: Int64) async -> JobInfo {
        let cfg = serverConfig
        let start = Date()
        do {
            let mark = await writer.pendingCount().count
            // Implicit models predict preferences, not ratings: nothing to score a holdout with.
            let (split, ratingCount, sequence) = try await TrainingHoldout.read(
                from: store, fraction: cfg.model == .implicit ? 0 : cfg.holdoutFraction, seed: cfg.seed)
            let iterations = cfg.iterations
            jobs.update(id) { $0.state = .running; $0.stage = "epoch 0/\(iterations)" }
            let (users, items) = (split.users, split.items)
            let trained = try await trainModel(split.matrix, users: users, items: items, config: cfg,
                                               holdout: split.holdout) { [jobs] report in
                jobs.update(id) { j in
                    j.progress = Double(report.epoch) / Double(iterations)
                    j.stage = "epoch \(report.epoch)/\(iterations)"
                    j.epochs.append(EpochInfo(epoch: report.epoch, loss: report.loss, trainRMSE: report.rmse,
                                              holdoutRMSE: report.holdoutRMSE))
                }
                return !Task.isCancelled
            }
            try Task.checkCancellation()
            let model = try split.completed(trained, entries: snapshot)
            let last = jobs.job(id)?.epochs.last
            let rmse = last?.trainRMSE ?? 0
            let held = split.replayUsers.isEmpty ? nil : cfg.holdoutFraction
            let metrics = TrainingMetrics(trainRMSE: rmse, holdoutRMSE: last?.holdoutRMSE, ratings: ratingCount,
                                          durationSeconds: Date().timeIntervalSince(start),
                                          holdoutFraction: held, holdoutSeed: held == nil ? nil : cfg.seed,
                                          holdoutRatings: held == nil ? nil : split.holdout?.count ?? 0)
            let parts = model.parts()
            let record = ModelRecord(algorithm: cfg.model.algorithm, hyperparameters: Self.json(cfg.training), metrics: Self.json(metrics),
                                     trainingLog: Self.json(jobs.job(id)?.epochs ?? []), sequence: sequence,
                                     k: model.factors, userIDs: users.ids, itemIDs: items.ids,
                                     arrays: parts.arrays, scalars: parts.scalars)
            let modelID = try await store.saveModel(record)
            let base = ModelBase(model: model, users: users, items: items, id: modelID, trainedAt: Date(),
                                 algorithm: cfg.model.algorithm, sequence: sequence)
            await writer.install(base, changesAtSnapshot: mark)
            Heap.trim()  // the training's matrices are gone
            logger.info("training finished", metadata: ["job": "\(id)", "model": "\(modelID)", "ratings": "\(ratingCount)",
                                                        "train_rmse": "\(rmse)",
                                                        "holdout_rmse": "\(last?.holdoutRMSE.map { "\($0)" } ?? "none")", "seconds": "\(metrics.durationSeconds)"])
            return jobs.finish(id) { j in
                j.state = .succeeded; j.progress = 1; j.stage = nil; j.modelID = modelID; j.metrics = metrics
            }
        } catch {
            let cancelled = Task.isCancelled || (error as? MFCoreError)?.code == "cancelled" || error is CancellationError
            let wire = WireError(engine: error)
            logger.log(level: cancelled ? .info : .error, "training ended", metadata: ["job": "\(id)", "error": "\(wire)"])
            return jobs.finish(id) { j in
                j.state = cancelled ? .cancelled : .failed
                j.error = cancelled ? nil : wire
            }
        }
    }

    /// Starts a retrain when the policy says so (`auto`: after N changes or T minutes).
    func checkRetrainPolicy() async {
        let cfg = serverConfig
        guard cfg.retrain == .auto, !jobs.isRunning else { return }
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
