import ArgumentParser
import Foundation
import MFCore

/// `mfbench eval`: train on one CSV, report accuracy on another, using the
/// protocol of ../shared/anchors/common.py and the product's `topN` scoring.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Train on TRAIN.csv and report RMSE, MAE, P/R/NDCG@10 on TEST.csv.")

    @Option(help: "Training ratings CSV (header: userId, itemId|movieId, rating).")
    var train: String
    @Option(help: "Test ratings CSV.")
    var test: String
    @OptionGroup var training: TrainingOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var sideInfo: SideInfoOptions
    @Option(help: "Fits to time; the median is reported and the last model is scored.")
    var repeats = 1
    @Option(help: ArgumentHelp("Train on EARLIER.csv first, then time a retrain on TRAIN.csv that starts from that model.",
                               discussion: "Measures a warm retrain as mfd runs it after its data changed; needs ALS.",
                               valueName: "EARLIER.csv"))
    var warmFrom: String?
    @Option(help: "Sweeps of the warm retrain (with --warm-from).")
    var warmIterations: Int?
    @Option(help: "Fraction of TRAIN.csv the search holds out (as mfd's holdout_fraction).")
    var holdoutFraction = 0.05
    @Flag(help: "Print one JSON object.")
    var json = false
    @Flag(help: "Print the loss, the holdout RMSE and the process CPU seconds after every epoch (stderr).")
    var verbose = false

    struct Report: Encodable {
        var rmse, mae: Double?
        var precision_at_10, recall_at_10, ndcg_at_10, fit_seconds: Double
        var fit_seconds_all: [Double]
        /// Seconds of the hyperparameter search inside `fit_seconds` (nil: no search ran).
        var search_seconds: Double?
        var search_trials: [SearchTrial]?
        var train_rows, test_rows, test_dropped: Int
        var algo: String
        var factors, iterations: Int
        var lambda: Double
        var threads: Int
        var plain: Bool
        var config: TrainingConfig
        var kernels: String
    }

    func validate() throws {
        if warmIterations != nil && warmFrom == nil { throw ValidationError("--warm-iterations needs --warm-from") }
        if let n = warmIterations, n < 1 { throw ValidationError("--warm-iterations must be >= 1") }
    }

    /// A cold model trained on `path`, with its rows mapped onto the split's users and items.
    func warmStart(from path: String, split: RatingSplit, config: TrainingConfig) throws -> WarmStart {
        let earlier = try RatingSplit(train: try RatingsCSV(path: path), test: try RatingsCSV(path: test))
        let m = try MFTrainer.train(earlier.train, config: config)
        return WarmStart(model: m, userRows: split.users.ids.map { earlier.users.index(of: $0) ?? -1 },
                         itemRows: split.items.ids.map { earlier.items.index(of: $0) ?? -1 })
    }

    func run() throws {
        let split = try RatingSplit(train: try RatingsCSV(path: train), test: try RatingsCSV(path: test))
        var config = training.config()
        model.apply(to: &config)
        let side = try sideInfo.load(users: split.users, items: split.items)
        if config.threads == 0 { config.threads = ProcessInfo.processInfo.activeProcessorCount }
        let warm = try warmFrom.map { try warmStart(from: $0, split: split, config: config) }
        if warm != nil, let n = warmIterations { config.iterations = n }
        // No hyperparameter flags: what mfd runs, the search on a holdout of TRAIN.csv, then completion (SGD: no search).
        let search = !training.setsHyperparameters && !self.model.setsHyperparameters && warm == nil && config.algorithm != .sgd
        var outcome: SearchOutcome?
        var searchTime: Double?
        var model: MFModel?
        var times: [Double] = []
        for _ in 0..<max(repeats, 1) {
            let clock = ContinuousClock()
            var m: MFModel?
            let d = try clock.measure {
                // No callback unless asked: the loss costs a pass over the data.
                let progress: ((EpochReport) -> Bool)? = verbose ? { r in
                    let h = r.holdoutRMSE.map { String(format: " holdout_rmse %.5f", $0) } ?? ""
                    FileHandle.standardError.write(Data(("epoch \(r.epoch) loss \(r.loss) train_rmse \(r.rmse) t \(r.elapsed)" + h
                        + String(format: " cpu %.2f\n", processCPUSeconds())).utf8))
                    return true
                } : nil
                if search, case let (part, holdout?) = try HoldoutRatings.split(split.train, users: split.users, items: split.items,
                                                                               fraction: holdoutFraction, seed: Int64(bitPattern: config.seed)) {
                    outcome = try ModelSearch.fit(part, holdout: holdout, config: config, sideInfo: side, onEpoch: progress)
                    searchTime = outcome!.searchSeconds
                    if verbose { FileHandle.standardError.write(Data(String(format: "fitted cpu %.2f\n", processCPUSeconds()).utf8)) }
                    m = try outcome!.model.completed(full: split.train, holdout: holdout, threads: config.threads)
                    if verbose { FileHandle.standardError.write(Data(String(format: "completed cpu %.2f\n", processCPUSeconds()).utf8)) }
                } else {
                    m = try side.map { try MFTrainer.train(split.train, sideInfo: $0, config: config, warmStart: warm, onEpoch: progress) }
                        ?? MFTrainer.train(split.train, config: config, warmStart: warm, onEpoch: progress)
                }
            }
            times.append(d.inSeconds)
            model = m
        }
        let m = model!
        let (r, k) = try split.score(m)
        let fit = times.sorted()[times.count / 2]
        let implicit = config.algorithm == .implicit  // scores, not ratings: RMSE is meaningless
        let rep = Report(rmse: implicit ? nil : r.rmse, mae: implicit ? nil : r.mae, precision_at_10: k.precision, recall_at_10: k.recall, ndcg_at_10: k.ndcg,
                         fit_seconds: fit, fit_seconds_all: times, search_seconds: searchTime, search_trials: outcome?.trials, train_rows: split.train.count, test_rows: split.test.count,
                         test_dropped: split.dropped, algo: config.algorithm.rawValue, factors: config.factors,
                         iterations: config.iterations, lambda: Double(config.lambda), threads: config.threads,
                         plain: training.plain, config: outcome?.config ?? config, kernels: KernelPath.active.rawValue)
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys]
            print(String(decoding: try e.encode(rep), as: UTF8.self))
        } else {
            let f = { (x: Double) in String(format: "%.4f", x) }
            print((implicit ? "rmse n/a  mae n/a" : "rmse \(f(r.rmse))  mae \(f(r.mae))") + "  P@10 \(f(k.precision))  R@10 \(f(k.recall))  NDCG@10 \(f(k.ndcg))  fit \(String(format: "%.3f", fit)) s"
                  + "  (\(config.algorithm.rawValue) k=\(config.factors) iters=\(config.iterations) λ=\((outcome?.config ?? config).lambda) threads=\(config.threads),"
                  + " \(split.train.count) train / \(split.test.count) test rows, \(split.dropped) dropped)")
            if let outcome, let searchTime {
                let c = outcome.config
                print("search: λ=\(c.lambda) ω=\(c.ranking.ratingWeight) in \(String(format: "%.3f", searchTime)) s of the fit, \(outcome.trials.count) trials")
            }
        }
    }
}
