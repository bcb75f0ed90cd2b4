import Foundation
import Logging
import MFProtocol
import MFStore
@testable import MFServer

/// An engine over a fresh database in a unique temp directory.
struct EngineFixture {
    let dir: String
    let store: Store
    let engine: Engine

    /// `ratings` are stored first (through the engine); with `train`, a model is trained on them.
    static func make(ratings: [RatingTuple] = [], maxBatch: Int = 1000, train: Bool = true,
                     recommendCacheBytes: Int = EngineConfiguration().recommendCacheBytes,
                     configure: (inout EngineConfiguration) -> Void = { _ in }) async throws -> EngineFixture {
        let dir = "/tmp/mfde-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let store = try Store.open(path: dir + "/db.sqlite")
        var cfg = EngineConfiguration()
        cfg.maxBatch = maxBatch
        cfg.recommendCacheBytes = recommendCacheBytes
        cfg.overrides = SetConfigRequest(factors: 4, iterations: 3, retrain: .manual)
        configure(&cfg)
        let engine = try await Engine.open(store: store, configuration: cfg, logger: Logger(label: "engine-test"))
        if !ratings.isEmpty {
            _ = try await engine.addRatings(AddRatingsRequest(ratings: ratings))
            if train {
                let job = try await engine.train(wait: true)
                precondition(job.state == .succeeded, "fixture training failed: \(job)")
            }
        }
        return EngineFixture(dir: dir, store: store, engine: engine)
    }

    /// 30 users × 40 items with two taste groups: even users like items 1...20, odd users 21...40.
    static var tasteRatings: [RatingTuple] {
        var out: [RatingTuple] = []
        for u in 1...30 {
            for i in 1...40 where (u + i) % 3 != 0 {
                let liked = (u % 2 == 0) == (i <= 20)
                out.append(RatingTuple(user: Int64(u), item: Int64(i), rating: liked ? 4.5 : 1.5))
            }
        }
        return out
    }

    func close() async {
        await engine.shutdown()
        try? store.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// For `defer` (which cannot await): removes the directory now, so it is
    /// gone even if the test process exits first, and shuts the engine down in
    /// the background. Open files stay valid after their names are removed.
    func discard() {
        try? FileManager.default.removeItem(atPath: dir)
        Task { [engine, store] in
            await engine.shutdown()
            try? store.close()
        }
    }
}
