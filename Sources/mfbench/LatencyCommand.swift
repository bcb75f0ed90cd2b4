import ArgumentParser
import Foundation
import MFCore

/// `mfbench latency`: in-process fold-in of a user from N ratings and top-10,
/// per call, median and p99 in µs.
struct LatencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Measure fold-in and top-10 latency (median, p99 in µs).",
        discussion: """
        Without --train the model is synthetic: --items items and --users users with \
        random factors (implicit factors too), so the catalogue size is exact. With \
        --train the model is trained on that CSV with the given training flags, and \
        fold-in uses the first --ratings ratings of users who have that many.
        """)

    @Option(help: "Train on this CSV instead of a synthetic model.")
    var train: String?
    @Option(help: "Synthetic catalogue size.")
    var items = 10_000
    @Option(help: "Synthetic user count.")
    var users = 1_000
    @Option(help: "Ratings per folded-in user.")
    var ratings = 20
    @Option(help: "Timed calls per measurement.")
    var calls = 1_000
    @Option(help: "Top-N size.")
    var n = 10
    @OptionGroup var training: TrainingOptions
    @Flag(help: "Print one JSON object.")
    var json = false

    struct Stat: Encodable { var median_us, p99_us: Double }
    struct Report: Encodable {
        var items, users, factors, ratings_per_user, calls: Int
        var fold_in, top_n, fold_in_plus_top_n: Stat
    }

    func run() throws {
        let (model, cases) = try makeCases()
        let foldIn = FoldIn(model: model)
        let sortedCases = cases.map { (items: $0.items, ratings: $0.ratings, exclude: $0.items.sorted()) }
        let vectors = try sortedCases.map { try foldIn.user(items: $0.items, ratings: $0.ratings) }
        var sink: Float = 0
        let fold = try measure(count: sortedCases.count) { j in
            let v = try foldIn.user(items: sortedCases[j].items, ratings: sortedCases[j].ratings)
            sink += v.bias
        }
        let top = try measure(count: sortedCases.count) { j in
            sink += try model.topN(user: vectors[j], n: n, excludeSorted: sortedCases[j].exclude).first?.score ?? 0
        }
        let both = try measure(count: sortedCases.count) { j in
            let v = try foldIn.user(items: sortedCases[j].items, ratings: sortedCases[j].ratings)
            sink += try model.topN(user: v, n: n, excludeSorted: sortedCases[j].exclude).first?.score ?? 0
        }
        let rep = Report(items: model.itemCount, users: model.userCount, factors: model.factors, ratings_per_user: ratings,
                         calls: calls, fold_in: fold, top_n: top, fold_in_plus_top_n: both)
        if json {
            let e = JSONEncoder(); e.outputFormatting = [.sortedKeys]
            print(String(decoding: try e.encode(rep), as: UTF8.self))
        } else {
            let f = { (s: Stat) in String(format: "median %.1f µs  p99 %.1f µs", s.median_us, s.p99_us) }
            print("items \(model.itemCount)  k=\(model.factors)  \(ratings) ratings/user  \(calls) calls")
            print("fold-in:       \(f(fold))")
            print("top-\(n):        \(f(top))")
            print("fold-in+top-\(n): \(f(both))")
        }
        if sink.isNaN { print("") }  // keeps the work observable
    }

    /// Warm-up ≥ 0.5 s (≥ 10 calls), then `calls` timed calls cycling through cases.
    func measure(count: Int, _ body: (Int) throws -> Void) throws -> Stat {
        let clock = ContinuousClock()
        let warmEnd = clock.now.advanced(by: .milliseconds(500))
        var j = 0
        while j < 10 || clock.now < warmEnd { try body(j % count); j += 1 }
        var t = [Double](repeating: 0, count: calls)
        for c in 0..<calls {
            let d = try clock.measure { try body(c % count) }
            t[c] = d.inMicroseconds
        }
        t.sort()
        // numpy.percentile(linear) for p99.
        let pos = 0.99 * Double(calls - 1), lo = Int(pos), hi = min(lo + 1, calls - 1)
        let p99 = t[lo] + (t[hi] - t[lo]) * (pos - Double(lo))
        let med = calls % 2 == 1 ? t[calls / 2] : (t[calls / 2 - 1] + t[calls / 2]) / 2
        return Stat(median_us: med, p99_us: p99)
    }

    func makeCases() throws -> (MFModel, [(items: [Int32], ratings: [Float])]) {
        var rng = SeededRNG(seed: 20240601)
        if let train {
            let csv = try RatingsCSV(path: train)
            let data = try RatingSplit(users: csv.users, items: csv.items, ratings: csv.ratings,
                                       trainRows: 0..<csv.count, testRows: [], indexing: .sortedIDs).train
            let model = try MFTrainer.train(data, config: training.config())
            let cases = (0..<data.userCount).filter { data.items(ofUser: $0).count >= ratings }.map {
                (items: Array(data.items(ofUser: $0).prefix(ratings)), ratings: Array(data.ratings(ofUser: $0).prefix(ratings)))
            }
            guard !cases.isEmpty else { throw ValidationError("no user has \(ratings) ratings in \(train)") }
            return (model, cases)
        }
        let k = training.config().factors
        func table(_ n: Int, _ s: Float) -> [Float] { (0..<n).map { _ in rng.nextGaussian() * s } }
        let model = try MFModel(
            factors: k, globalMean: 3.5, minRating: 0.5, maxRating: 5,
            userBias: table(users, 0.3), userFactors: table(users * k, 0.1),
            itemBias: table(items, 0.3), itemFactors: table(items * k, 0.1),
            implicitItemFactors: table(items * k, 0.05), implicitUserFactors: table(users * k, 0.05),
            itemPopularity: (0..<items).map { _ in Float(rng.next() % 100) },
            solver: SolverParams(TrainingConfig()))
        let cases = (0..<users).map { _ in
            var s = Set<Int32>()
            while s.count < ratings { s.insert(Int32(rng.next() % UInt64(items))) }
            return (items: Array(s), ratings: (0..<ratings).map { _ in Float(1 + rng.next() % 9) / 2 })
        }
        return (model, cases)
    }
}
