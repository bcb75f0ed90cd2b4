import Foundation
import MFTestSupport
import Testing
@testable import MFCore

/// Trains on the real MovieLens splits in ../shared (skipped when they are absent).
@Suite struct SharedSplitTests {
    static let splits = SharedData.root.appendingPathComponent("splits")

    /// Reads `userId,itemId,rating` files and indexes ids by rank among sorted train ids.
    static func load(_ name: String) throws -> RatingSplit {
        let dir = splits.appendingPathComponent(name)
        func rows(_ f: String) throws -> [(Int64, Int64, Float)] {
            try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8).split(separator: "\n").dropFirst().map {
                let c = $0.split(separator: ",")
                return (Int64(c[0])!, Int64(c[1])!, Float(c[2])!)
            }
        }
        let train = try rows("train.csv"), all = try train + rows("test.csv")
        return try RatingSplit(users: all.map(\.0), items: all.map(\.1), ratings: all.map(\.2),
                               trainRows: 0..<train.count, testRows: train.count..<all.count, indexing: .sortedIDs)
    }

    /// A small, quick model (debug build) must already beat the bias-free mean
    /// predictor on RMSE and popularity-level ranking by a margin.
    @Test(.enabled(if: SharedData.has("splits/ml-latest-small-2016/train.csv") && SharedData.has("splits/ml-latest-small-2018/train.csv"),
                   "../shared/splits is absent"),
          arguments: ["ml-latest-small-2016", "ml-latest-small-2018"])
    func smallModelOnSharedSplit(name: String) throws {
        let s = try Self.load(name)
        var c = TrainingConfig()
        c.factors = 8; c.iterations = 3
        let m = try MFTrainer.train(s.train, config: c)
        // Every 4th user keeps the debug-build run to a few seconds.
        var t = Fixtures.Triples()
        for j in s.test.ratings.indices where s.test.users[j] % 4 == 0 {
            t.add(Int(s.test.users[j]), Int(s.test.items[j]), s.test.ratings[j])
        }
        let r = Metrics.rating(model: m, users: t.users, items: t.items, ratings: t.ratings)
        let rank = try Metrics.ranking(model: m, train: s.train, users: t.users, items: t.items, ratings: t.ratings)
        #expect(r.rmse < 0.90, "rmse \(r.rmse)")
        #expect(rank.ndcg > 0.12, "ndcg \(rank.ndcg)")
    }
}
