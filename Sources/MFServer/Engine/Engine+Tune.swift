import Foundation
import MFCore
import MFProtocol
import MFStore

extension Engine {
    /// `tune`: a seeded grid or random search on a validation split of the
    /// stored ratings, as a background job of kind `tune`.
    /// `progress` follows the job.
    public func tune(_ r: TuneRequest, progress: OperationProgress? = nil) async throws -> JobInfo {
        let id = try jobs.begin(kind: .tune)
        logger.info("tuning started", metadata: ["job": "\(id)"])
        progress?.follow { [jobs] in jobs.progress(id) }
        let task = Task.detached { [self] in await self.runTune(job: id, r) }
        jobs.attach(id, task: task)
        if r.wait { return await task.value }
        return jobs.job(id) ?? JobInfo(job: id, kind: .tune, state: .queued, progress: 0)
    }

    /// The configurations a tune tries: the grid (spec defaults plus the
    /// current configuration's values), or `trials` of them drawn with `seed`.
    static func tuneGrid(_ r: TuneRequest, current c: TrainingSettings) -> [(factors: Int, lambda: Double, iterations: Int)] {
        func values<T: Comparable & Hashable>(_ given: [T]?, _ defaults: [T], _ now: T) -> [T] { Array(Set(given ?? defaults + [now])).sorted() }
        // Around the product defaults (k 64, weighted λ 0.15): smaller λ than
        // ~0.08 overfits weighted-λ ALS on MovieLens-sized data.
        let f = values(r.factors, [32, 64, 96], c.factors)
        let l = values(r.lambda, [0.08, 0.15, 0.25], c.lambda)
        let it = values(r.iterations, [10, 15], c.iterations)
        var grid: [(Int, Double, Int)] = []
        for a in f { for b in l { for d in it { grid.append((a, b, d)) } } }
        guard let n = r.trials, n < grid.count else { return grid.map { ($0.0, $0.1, $0.2) } }
        var rng = SeededRNG(seed: UInt64(bitPattern: r.seed))
        grid.shuffle(using: &rng)
        return grid.prefix(n).map { ($0.0, $0.1, $0.2) }
    }

    /// Split → one training per configuration → report; never throws (the job records the outcome).
    func runTune(job id: Int64, _ r: TuneRequest) async -> JobInfo {
        let cfg = trainingSettings
        let start = Date()
        await testDelay(.tune)
        jobs.step(id, "read") { $0.state = .running }
        do {
            let snap = try await store.ratingsSnapshot()
            guard snap.count >= 2 else { throw WireError(.noModel, "need at least 2 ratings to tune") }
            let split = try RatingSplit(snap, fraction: r.valFraction, seed: r.seed)
            let grid = Self.tuneGrid(r, current: cfg)
            var trials: [TuneTrial] = []
            jobs.step(id, "trial", 0, of: grid.count) { $0.tune = TuneReport(trials: [], best: nil, applied: false) }
            for (n, g) in grid.enumerated() {
                try Task.checkCancellation()
                var c = cfg   // the configured model kind, with the trial's k, λ and iterations
                c.factors = g.factors; c.lambda = g.lambda; c.iterations = g.iterations
                let model = try await trainModel(split.train, users: split.users, items: split.items, config: c) { _ in !Task.isCancelled }
                let (rating, ranking) = try split.score(model)
                trials.append(TuneTrial(factors: g.factors, lambda: g.lambda, iterations: g.iterations, rmse: rating.rmse, ndcgAt10: ranking.ndcg))
                let best = trials.min { $0.rmse < $1.rmse }
                jobs.step(id, "trial", n + 1, of: grid.count) { j in
                    j.tune = TuneReport(trials: trials, best: best, applied: false)
                }
            }
            let best = trials.min { $0.rmse < $1.rmse }
            var applied = false
            if r.apply, let best {
                _ = try await setConfig(SetConfigRequest(factors: best.factors, lambda: best.lambda, iterations: best.iterations))
                applied = true
            }
            logger.info("tuning finished", metadata: ["job": "\(id)", "trials": "\(trials.count)", "best_rmse": "\(best?.rmse ?? .nan)",
                                                      "seconds": "\(Date().timeIntervalSince(start))"])
            let done = jobs.finish(id) { j in
                j.state = .succeeded; j.progress = 1; j.stage = nil
                j.tune = TuneReport(trials: trials, best: best, applied: applied)
            }
            if applied, trainingSettings.retrain != .external { _ = try? startTraining(reason: "tune --apply") }
            return done
        } catch {
            let cancelled = Task.isCancelled || error is CancellationError || (error as? MFCoreError)?.code == "cancelled"
            let wire = WireError(engine: error)
            logger.log(level: cancelled ? .info : .error, "tuning ended", metadata: ["job": "\(id)", "error": "\(wire)"])
            return jobs.finish(id) { j in
                j.state = cancelled ? .cancelled : .failed
                j.error = cancelled ? nil : wire
            }
        }
    }
}
