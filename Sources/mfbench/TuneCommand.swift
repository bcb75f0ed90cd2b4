import ArgumentParser
import Foundation
import MFCore

/// `mfbench tune`: the daemon's `tune` search offline, on given train/validation files.
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Grid or seeded random search over factors, λ and iterations: RMSE and NDCG@10 on VAL.csv per configuration.")

    @Option(help: "Training ratings CSV.") var train: String
    @Option(help: "Validation ratings CSV.") var val: String
    @Option(parsing: .upToNextOption, help: "Factors to try.") var factors: [Int] = [16, 32, 64]
    @Option(parsing: .upToNextOption, help: "λ values to try.") var lambda: [Float] = [0.02, 0.05, 0.1]
    @Option(parsing: .upToNextOption, help: "Iteration counts to try.") var iterations: [Int] = [10, 15]
    @Option(help: "Try this many configurations drawn at random (seeded) instead of the full grid.") var trials: Int?
    @Option(help: "Seed of the random draw.") var seed: UInt64 = 42
    @OptionGroup var training: TrainingOptions
    @Flag(help: "Print one JSON object per trial, then the best.") var json = false

    struct Trial: Encodable { var factors: Int; var lambda: Float; var iterations: Int; var rmse, ndcg_at_10, fit_seconds: Double }

    func run() throws {
        let split = try RatingSplit(train: try RatingsCSV(path: train), test: try RatingsCSV(path: val))
        var grid: [(Int, Float, Int)] = []
        for f in factors { for l in lambda { for i in iterations { grid.append((f, l, i)) } } }
        if let n = trials, n < grid.count {
            var rng = SeededRNG(seed: seed)
            grid.shuffle(using: &rng)
            grid = Array(grid.prefix(n))
        }
        var results: [Trial] = []
        for (n, g) in grid.enumerated() {
            var c = training.config()
            c.factors = g.0; c.lambda = g.1; c.iterations = g.2
            let start = Date()
            let m = try MFTrainer.train(split.train, config: c)
            let fit = Date().timeIntervalSince(start)
            let (r, k) = try split.score(m)
            let t = Trial(factors: g.0, lambda: g.1, iterations: g.2, rmse: r.rmse, ndcg_at_10: k.ndcg, fit_seconds: fit)
            results.append(t)
            if json {
                print(String(decoding: try JSONEncoder().encode(t), as: UTF8.self))
            } else {
                print(String(format: "[%d/%d] k=%-4d λ=%-6g iters=%-3d rmse %.4f  NDCG@10 %.4f  fit %.2f s",
                             n + 1, grid.count, g.0, Double(g.1), g.2, r.rmse, k.ndcg, fit))
            }
        }
        guard let best = results.min(by: { $0.rmse < $1.rmse }) else { return }
        if json {
            print(String(decoding: try JSONEncoder().encode(["best": best]), as: UTF8.self))
        } else {
            print(String(format: "best: k=%d λ=%g iters=%d rmse %.4f NDCG@10 %.4f", best.factors, Double(best.lambda), best.iterations, best.rmse, best.ndcg_at_10))
        }
    }
}
