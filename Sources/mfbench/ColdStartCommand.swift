import ArgumentParser
import Foundation
import MFCore

/// `mfbench coldstart`: hold out a fraction of users (then of items) entirely,
/// train on the rest of TRAIN.csv, and score the held-out rows of TRAIN ∪ TEST
/// from attributes alone. Cold users/items are every sorted id at position j
/// with ⌊(j+1)·f⌋ > ⌊j·f⌋ (scripts/coldstart_cmfrec.py uses the same rule).
struct ColdStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coldstart",
        abstract: "Cold-start users and items from attributes: RMSE and NDCG@10 against baselines.",
        discussion: """
        Users: the cold users' rows (train + test, items known to the warm model) are predicted from a \
        vector folded in from attributes only; ranking candidates are all warm items. Items: the cold \
        items' rows (users known to the warm model) are predicted from an item vector folded in from \
        its attributes (genres); each warm user ranks the cold items only.
        """)

    @Option(help: "Training ratings CSV.") var train: String
    @Option(help: "Test ratings CSV (its rows of cold users/items are evaluated too).") var test: String
    @OptionGroup var sideInfo: SideInfoOptions
    @Option(help: "Fraction of users held out.") var coldUsers = 0.2
    @Option(help: "Fraction of items held out.") var coldItems = 0.2
    @OptionGroup var training: TrainingOptions
    @OptionGroup var model: ModelOptions
    @Flag(help: "Print one JSON object.") var json = false

    struct Row: Encodable { var experiment, model: String; var rmse: Double?; var ndcg_at_10: Double?; var rows, users: Int }

    static func pick(_ sorted: [Int64], _ f: Double) -> Set<Int64> {
        Set(sorted.indices.filter { (Double($0 + 1) * f).rounded(.down) > (Double($0) * f).rounded(.down) }.map { sorted[$0] })
    }

    func run() throws {
        let tr = try RatingsCSV(path: train), te = try RatingsCSV(path: test)
        var config = training.config()
        model.apply(to: &config)
        let ua = try sideInfo.userAttributes, ia = try sideInfo.itemAttributes
        var rows: [Row] = []
        if coldUsers > 0 { rows += try userExperiment(tr, te, ua, ia, config) }
        if coldItems > 0 { rows += try itemExperiment(tr, te, ua, ia, config) }
        if json {
            let e = JSONEncoder(); e.outputFormatting = [.sortedKeys]
            print(String(decoding: try e.encode(rows), as: UTF8.self))
        } else {
            let f = { (x: Double?) in x.map { String(format: "%.4f", $0) } ?? "—" }
            for r in rows {
                print("\(r.experiment.padding(toLength: 11, withPad: " ", startingAt: 0)) \(r.model.padding(toLength: 34, withPad: " ", startingAt: 0)) rmse \(f(r.rmse))  NDCG@10 \(f(r.ndcg_at_10))  (\(r.rows) rows, \(r.users) ranked users)")
            }
        }
    }

    /// Warm training data: the rows of `tr` for which `keep` holds.
    func warm(_ tr: RatingsCSV, _ keep: (Int) -> Bool) throws -> (RatingMatrix, IDMap, IDMap) {
        let s = try RatingSplit(users: tr.users, items: tr.items, ratings: tr.ratings,
                                trainRows: (0..<tr.count).filter(keep), testRows: [], indexing: .sortedIDs)
        return (s.train, s.users, s.items)
    }

    /// Mean NDCG@10 (binary gains) of ranked lists against relevant sets.
    static func ndcg(_ lists: [([Int32], Set<Int32>)]) -> Double {
        let disc = (0..<10).map { 1 / log2(Double($0 + 2)) }
        let s = lists.reduce(0.0) { acc, l in
            let dcg = l.0.prefix(10).enumerated().reduce(0.0) { $0 + (l.1.contains($1.element) ? disc[$1.offset] : 0) }
            return acc + dcg / disc[0..<min(10, l.1.count)].reduce(0, +)
        }
        return s / Double(max(lists.count, 1))
    }

    static func rmse(_ e: [Double]) -> Double { (e.reduce(0) { $0 + $1 * $1 } / Double(max(e.count, 1))).squareRoot() }

    /// Top 10 of `scores` over `candidates`, ties to the lower index.
    static func top10(_ candidates: [Int32], _ score: (Int32) -> Float) -> [Int32] {
        candidates.map { ($0, score($0)) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(10).map(\.0)
    }

    func variants(_ ua: AttributesCSV?, _ ia: AttributesCSV?) -> [(String, AttributesCSV?, AttributesCSV?)] {
        var v: [(String, AttributesCSV?, AttributesCSV?)] = [("mfd ratings only", nil, nil)]
        if ua != nil { v.append(("mfd + user attributes", ua, nil)) }
        if ia != nil { v.append(("mfd + item attributes", nil, ia)) }
        if ua != nil && ia != nil { v.append(("mfd + user and item attributes", ua, ia)) }
        return v
    }

    func fit(_ data: RatingMatrix, _ um: IDMap, _ im: IDMap, _ u: AttributesCSV?, _ i: AttributesCSV?, _ c: TrainingConfig) throws -> MFModel {
        if u == nil && i == nil { return try MFTrainer.train(data, config: c) }
        return try MFTrainer.train(data, sideInfo: SideInfoOptions.align(users: u, items: i, userMap: um, itemMap: im), config: c)
    }

    func userExperiment(_ tr: RatingsCSV, _ te: RatingsCSV, _ ua: AttributesCSV?, _ ia: AttributesCSV?,
                        _ config: TrainingConfig) throws -> [Row] {
        let cold = Self.pick(Set(tr.users).sorted(), coldUsers)
        let (data, um, im) = try warm(tr) { !cold.contains(tr.users[$0]) }
        // Evaluation rows: every train/test row of a cold user on a warm item.
        var ev: [(Int64, Int32, Float)] = []
        for (s, n) in [(tr, tr.count), (te, te.count)] {
            for j in 0..<n where cold.contains(s.users[j]) { if let i = im.index(of: s.items[j]) { ev.append((s.users[j], i, s.ratings[j])) } }
        }
        var byUser: [Int64: [(Int32, Float)]] = [:]
        for (u, i, r) in ev { byUser[u, default: []].append((i, r)) }
        let rankUsers = byUser.keys.sorted().filter { byUser[$0]!.contains { $0.1 >= 4 } }
        let relevant = rankUsers.map { u in Set(byUser[u]!.filter { $0.1 >= 4 }.map(\.0)) }
        let all = (0..<Int32(im.count)).map { $0 }
        var out: [Row] = []
        let n = ev.count
        func row(_ name: String, _ pred: ((Int64, Int32) -> Float)?, _ score: (Int64) -> (Int32) -> Float) -> Row {
            let r = pred.map { p in Self.rmse(ev.map { Double(p($0.0, $0.1) - $0.2) }) }
            let nd = Self.ndcg(zip(rankUsers, relevant).map { (Self.top10(all, score($0.0)), $0.1) })
            return Row(experiment: "cold users", model: name, rmse: r, ndcg_at_10: nd, rows: n, users: rankUsers.count)
        }
        let cnt = (0..<data.itemCount).map { Float(data.users(ofItem: $0).count) }
        let mean = (0..<data.itemCount).map { i in data.ratings(ofItem: i).reduce(0, +) / Float(max(data.users(ofItem: i).count, 1)) }
        out.append(row("popularity (train count)", nil) { _ in { cnt[Int($0)] } })
        out.append(row("item mean", { mean[Int($1)] }) { _ in { mean[Int($0)] } })
        for (name, u, i) in variants(ua, ia) {
            let m = try fit(data, um, im, u, i, config)
            let f = FoldIn(model: m)
            var vec: [Int64: UserVector] = [:]
            for uid in byUser.keys { vec[uid] = try f.user(items: [], ratings: [], attributes: ua?.rows[uid] ?? [:]) }
            out.append(row(name, { m.predict(user: vec[$0]!, item: $1).value }) { uid in
                let top = (try? m.topN(user: vec[uid]!, n: 10).map(\.item)) ?? []
                let rank = Dictionary(uniqueKeysWithValues: top.enumerated().map { ($1, Float(10 - $0)) })
                return { rank[$0] ?? 0 }
            })
        }
        return out
    }

    func itemExperiment(_ tr: RatingsCSV, _ te: RatingsCSV, _ ua: AttributesCSV?, _ ia: AttributesCSV?,
                        _ config: TrainingConfig) throws -> [Row] {
        let cold = Self.pick(Set(tr.items).sorted(), coldItems)
        let (data, um, im) = try warm(tr) { !cold.contains(tr.items[$0]) }
        let coldIDs = cold.sorted()
        let coldIndex = Dictionary(uniqueKeysWithValues: coldIDs.enumerated().map { ($1, Int32($0)) })
        var ev: [(Int32, Int32, Float)] = []   // warm user, cold item position, rating
        for (s, n) in [(tr, tr.count), (te, te.count)] {
            for j in 0..<n { if let c = coldIndex[s.items[j]], let u = um.index(of: s.users[j]) { ev.append((u, c, s.ratings[j])) } }
        }
        var byUser: [Int32: [(Int32, Float)]] = [:]
        for (u, i, r) in ev { byUser[u, default: []].append((i, r)) }
        let rankUsers = byUser.keys.sorted().filter { byUser[$0]!.contains { $0.1 >= 4 } }
        let relevant = rankUsers.map { u in Set(byUser[u]!.filter { $0.1 >= 4 }.map(\.0)) }
        let candidates = (0..<Int32(coldIDs.count)).map { $0 }
        let n = ev.count
        func row(_ name: String, _ pred: ((Int32, Int32) -> Float)?, _ score: (Int32) -> (Int32) -> Float) -> Row {
            let r = pred.map { p in Self.rmse(ev.map { Double(p($0.0, $0.1) - $0.2) }) }
            let nd = Self.ndcg(zip(rankUsers, relevant).map { (Self.top10(candidates, score($0.0)), $0.1) })
            return Row(experiment: "cold items", model: name, rmse: r, ndcg_at_10: nd, rows: n, users: rankUsers.count)
        }
        // Baselines from warm data: user mean; per-genre mean rating and popularity (count per item), averaged over a cold item's genres.
        let userMean = (0..<data.userCount).map { u in data.ratings(ofUser: u).reduce(0, +) / Float(max(data.items(ofUser: u).count, 1)) }
        func genres(_ id: Int64) -> [String] {
            guard case .category(let g)? = ia?.rows[id]?["genres"] else { return [] }
            return g.split(separator: "|").map(String.init)
        }
        var gSum: [String: Double] = [:], gRows: [String: Double] = [:], gItems: [String: Double] = [:]
        for i in 0..<data.itemCount {
            for g in genres(im.id(at: Int32(i))) {
                gSum[g, default: 0] += Double(data.ratings(ofItem: i).reduce(0, +)); gRows[g, default: 0] += Double(data.users(ofItem: i).count)
                gItems[g, default: 0] += 1
            }
        }
        let mu = data.mean
        let gMean = coldIDs.map { id -> Float in
            let gs = genres(id).filter { (gRows[$0] ?? 0) > 0 }
            return gs.isEmpty ? mu : Float(gs.reduce(0) { $0 + gSum[$1]! / gRows[$1]! } / Double(gs.count))
        }
        let gPop = coldIDs.map { id -> Float in
            let gs = genres(id).filter { (gItems[$0] ?? 0) > 0 }
            return gs.isEmpty ? 0 : Float(gs.reduce(0) { $0 + gRows[$1]! / gItems[$1]! } / Double(gs.count))
        }
        var out: [Row] = []
        out.append(row("user mean (ranking: index order)", { u, _ in userMean[Int(u)] }) { _ in { _ in 0 } })
        // Cold items have no popularity: all ties. Index order (above) leaks movieId ≈ age; chance is random order.
        var rng = SeededRNG(seed: 7)
        let shuffles = (0..<20).map { _ in Self.ndcg(relevant.map { (Array(candidates.shuffled(using: &rng).prefix(10)), $0) }) }
        out.append(Row(experiment: "cold items", model: "random order (mean of 20)", rmse: nil,
                       ndcg_at_10: shuffles.reduce(0, +) / Double(shuffles.count), rows: n, users: rankUsers.count))
        if ia != nil {
            out.append(row("genre mean / genre popularity", { _, c in gMean[Int(c)] }) { _ in { gPop[Int($0)] } })
        }
        for (name, u, i) in variants(ua, ia) {
            var m = try fit(data, um, im, u, i, config)
            let f = FoldIn(model: m)
            let first = Int32(m.itemCount)
            for id in coldIDs { try m.appendItem(try f.item(users: [], ratings: [], attributes: ia?.rows[id] ?? [:])) }
            let model = m
            out.append(row(name, { model.predict(user: model.user($0), item: first + $1).value }) { u in
                let uv = model.user(u)
                let top = (try? model.topN(user: uv, n: 10, include: candidates.map { first + $0 }).map { $0.item - first }) ?? []
                let rank = Dictionary(uniqueKeysWithValues: top.enumerated().map { ($1, Float(10 - $0)) })
                return { rank[$0] ?? 0 }
            })
        }
        return out
    }
}
