import Foundation
import Testing
@testable import MFCore

/// Trains on the real MovieLens splits in ../shared when present (skips otherwise).
@Suite struct SharedSplitTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let splits = root.deletingLastPathComponent().appendingPathComponent("shared/splits")

    struct Split { var train: RatingMatrix; var test: Fixtures.Triples }

    /// Reads `userId,itemId,rating` files and indexes ids by rank among sorted train ids.
    static func load(_ name: String) throws -> Split? {
        let dir = splits.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("train.csv").path) else { return nil }
        func rows(_ f: String) throws -> [(Int64, Int64, Float)] {
            try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8).split(separator: "\n").dropFirst().map {
                let c = $0.split(separator: ",")
                return (Int64(c[0])!, Int64(c[1])!, Float(c[2])!)
            }
        }
        let tr = try rows("train.csv"), te = try rows("test.csv")
        let um = IDMap(ids: Set(tr.map(\.0)).sorted()), im = IDMap(ids: Set(tr.map(\.1)).sorted())
        let train = try RatingMatrix(users: tr.map { um.index(of: $0.0)! }, items: tr.map { im.index(of: $0.1)! }, ratings: tr.map(\.2))
        var test = Fixtures.Triples()
        for (u, i, r) in te { if let a = um.index(of: u), let b = im.index(of: i) { test.add(Int(a), Int(b), r) } }
        return Split(train: train, test: test)
    }

    /// A small, quick model (debug build) must already beat the bias-free mean
    /// predictor on RMSE and popularity-level ranking by a margin.
    @Test(arguments: ["ml-latest-small-2016", "ml-latest-small-2018"])
    func smallModelOnSharedSplit(name: String) throws {
        guard let s = try Self.load(name) else {
            print("skip: \(Self.splits.path)/\(name) not found")
            return
        }
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
