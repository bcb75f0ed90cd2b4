import Foundation
import MFLineClient
import Testing

/// export_* and import_model_* against the real daemon on the demo catalogue.
@Suite
struct FeatureExportImportTests {
    @Test func factorExportReproducesPredictAndImportsBack() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, ["--demo", "--retrain", "manual"] + Daemon.fastTraining)
        let c = try mfd.connect()
        // A folded-in user must be exported with its fold-in row.
        #expect(try c.call("fold_in", ["user": 900_000_001, "ratings": [[1, 5], [2, 4], [3, 1]]]).ok)
        let (users, mu) = try exportFactors(c, "user_factors")
        let (items, mu2) = try exportFactors(c, "item_factors")
        #expect(mu == mu2 && users[900_000_001] != nil && !items.isEmpty)
        var checked = 0
        for (u, pu) in users.sorted(by: { $0.key < $1.key }).prefix(20) {
            for (i, qi) in items.sorted(by: { $0.key < $1.key }).prefix(20) {
                let raw = mu + pu.bias + qi.bias + zip(pu.factors, qi.factors).reduce(0) { $0 + $1.0 * $1.1 }
                guard raw > 0.6, raw < 4.9 else { continue }  // predict clips to the rating scale
                let p = try c.call("predict", ["user": u, "item": i])
                #expect(abs(((p.result["value"] as? NSNumber)?.doubleValue ?? .nan) - raw) < 1e-4, "\(u),\(i): \(p) vs \(raw)")
                checked += 1
            }
        }
        #expect(checked > 100)

        // The same rows imported back give a new model with the same predictions.
        let before = try c.call("predict", ["user": 42, "item": 7])
        let begin = try c.call("import_model_begin", ["manifest": manifest(k: users.first!.value.factors.count, mu: mu, users: users.count, items: items.count)])
        let token = try #require(begin.result["import"] as? String, "\(begin)")
        for (side, rows) in [("users", users), ("items", items)] {
            let list = rows.map { [$0.key, $0.value.bias] + $0.value.factors as [Any] }
            for start in stride(from: 0, to: list.count, by: 500) {
                let r = try c.call("import_model_rows", ["import": token, "side": side, "rows": Array(list[start..<min(start + 500, list.count)])])
                #expect(r.ok, "\(r)")
            }
        }
        let commit = try c.call("import_model_commit", ["import": token])
        #expect(commit.ok && commit.result["users"] as? Int == users.count, "\(commit)")
        let after = try c.call("predict", ["user": 42, "item": 7])
        let a = (after.result["value"] as? NSNumber)?.doubleValue ?? .nan, b = (before.result["value"] as? NSNumber)?.doubleValue ?? 0
        #expect(abs(a - b) < 1e-4, "\(before) \(after)")
        #expect(try c.call("status").result["model"].flatMap { ($0 as? [String: Any])?["algorithm"] as? String } == "test-roundtrip")
        #expect(mfd.stop() == 0, "\(mfd.log)")
    }

    @Test func importModelRejectsBadRowsAndUnknownIDs() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, ["--demo", "--retrain", "manual"] + Daemon.fastTraining)
        let c = try mfd.connect()
        let bad = try c.call("import_model_begin", ["manifest": manifest(k: 0, mu: 3, users: 1, items: 1)])
        #expect(bad.errorCode == "invalid_model" && bad.errorField == "manifest.k", "\(bad)")
        let token = try #require(try c.call("import_model_begin", ["manifest": manifest(k: 2, mu: 3, users: 1, items: 1)]).result["import"] as? String)
        let short = try c.call("import_model_rows", ["import": token, "side": "users", "rows": [[42, 0.1, 0.5]]])
        #expect(short.errorCode == "invalid_model" && short.errorField == "rows[0]", "\(short)")
        #expect(try c.call("import_model_rows", ["import": token, "side": "users", "rows": [[777_777_777, 0.1, 0.5, 0.2]]]).ok)
        #expect(try c.call("import_model_rows", ["import": token, "side": "items", "rows": [[1, 0.1, 0.5, 0.2]]]).ok)
        let unknown = try c.call("import_model_commit", ["import": token])
        #expect(unknown.errorCode == "invalid_model" && unknown.errorField == "users[0]", "\(unknown)")
        // The serving model is untouched.
        #expect(try c.call("recommend", ["user": 42]).result["source"] as? String == "model")
        #expect(mfd.stop() == 0, "\(mfd.log)")
    }

    @Test func ratingsExportPagesThroughEveryRatingOnce() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, ["--demo", "--retrain", "manual"] + Daemon.fastTraining)
        let c = try mfd.connect()
        let total = try #require(try c.call("status").result["ratings"] as? Int)
        let begin = try c.call("export_begin", ["what": "ratings"])
        let token = try #require(begin.result["export"] as? String, "\(begin)")
        #expect(begin.result["columns"] as? [String] == ["user", "item", "rating", "timestamp"])
        var seen = Set<[Int64]>(), done = false, pages = 0
        while !done {
            let page = try c.call("export_next", ["export": token, "max_rows": 3000])
            let rows = try #require(page.result["rows"] as? [[Any]], "\(page)")
            for r in rows { seen.insert([(r[0] as! NSNumber).int64Value, (r[1] as! NSNumber).int64Value]) }
            done = page.result["done"] as? Bool == true
            pages += 1
            #expect(done || rows.count == 3000)
        }
        #expect(seen.count == total && pages == (total + 2999) / 3000)
        #expect(try c.call("export_next", ["export": token]).errorCode == "not_found")
        let items = try c.call("export_begin", ["what": "items"])
        #expect((items.result["columns"] as? [String])?.prefix(3) == ["item", "title", "genres"], "\(items)")
        #expect(try c.call("export_end", ["export": items.result["export"] as? String ?? ""]).ok)
        #expect(mfd.stop() == 0, "\(mfd.log)")
    }

    private func manifest(k: Int, mu: Double, users: Int, items: Int) -> [String: Any] {
        ["format": "mfd-model-1", "algorithm": "test-roundtrip", "k": k, "global_mean": mu, "users": users, "items": items]
    }

    /// All rows of a factor export: id → (bias, factors); and μ.
    private func exportFactors(_ c: LineClient, _ what: String) throws -> ([Int64: (bias: Double, factors: [Double])], Double) {
        let begin = try c.call("export_begin", ["what": what])
        let token = try #require(begin.result["export"] as? String, "\(begin)")
        var out: [Int64: (bias: Double, factors: [Double])] = [:]
        while true {
            let page = try c.call("export_next", ["export": token, "max_rows": 5000])
            for r in page.result["rows"] as? [[NSNumber]] ?? [] {
                out[r[0].int64Value] = (r[1].doubleValue, r.dropFirst(2).map(\.doubleValue))
            }
            if page.result["done"] as? Bool != false { break }
        }
        #expect(out.count == begin.result["rows"] as? Int)
        return (out, (begin.result["global_mean"] as? NSNumber)?.doubleValue ?? .nan)
    }
}
