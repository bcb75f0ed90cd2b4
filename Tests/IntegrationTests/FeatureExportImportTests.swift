import Foundation
import MFLineClient
import MFProtocol
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
        let recommendedBefore = try c.call("recommend", ["user": 42, "n": 50]).itemIDs

        // Once more as binary columns (`*_base64`), in blocks: the same predictions again.
        let token2 = try #require(try c.call("import_model_begin", ["manifest": manifest(k: users.first!.value.factors.count, mu: mu,
                                                                                          users: users.count, items: items.count)]).result["import"] as? String)
        for (side, rows) in [("users", users), ("items", items)] {
            let list = rows.sorted { $0.key < $1.key }.map { FactorRow(id: $0.key, bias: Float($0.value.bias), factors: $0.value.factors.map { Float($0) }) }
            for start in stride(from: 0, to: list.count, by: 700) {
                let r = try c.call("import_model_rows", Self.rows(token2, side, try Self.columns(Array(list[start..<min(start + 700, list.count)]))))
                #expect(r.ok, "\(r)")
            }
        }
        let commit2 = try c.call("import_model_commit", ["import": token2])
        #expect(commit2.ok && commit2.result["items"] as? Int == items.count && commit2.result["model_id"] as? Int != commit.result["model_id"] as? Int, "\(commit2)")
        let again = try c.call("predict", ["user": 42, "item": 7])
        #expect(abs(((again.result["value"] as? NSNumber)?.doubleValue ?? .nan) - b) < 1e-4, "\(before) \(again)")
        // Its items were aligned to the serving model's order: no rated item in its list. (The lists of the two imports
        // differ: each import trains its ranker anew, from user rows in the order they arrived.)
        let recommended = try c.call("recommend", ["user": 42, "n": 50]).itemIDs
        let rated = try c.call("user", ["user": 42, "top": 1000]).result["top_rated"] as? [[String: Any]] ?? []
        #expect(recommended.count == 50 && recommendedBefore.count == 50 && !rated.isEmpty, "\(recommended) \(recommendedBefore)")
        #expect(Set(recommended).isDisjoint(with: rated.compactMap { ($0["item"] as? NSNumber)?.int64Value }))
        #expect(mfd.stop() == 0, "\(mfd.log)")
    }

    /// `import_model_rows` parameters with `columns` (the three `*_base64` fields).
    static func rows(_ token: String, _ side: String, _ columns: [String: Any]) -> [String: Any] {
        columns.merging(["import": token, "side": side]) { a, _ in a }
    }

    /// The three `*_base64` fields of `rows` as `import_model_rows` takes them.
    static func columns(_ rows: [FactorRow]) throws -> [String: Any] {
        let c = try FactorColumns(rows: rows)
        return ["ids_base64": Base64.encode(c.ids), "biases_base64": Base64.encode(c.biases), "factors_base64": Base64.encode(c.factors)]
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
        // Binary columns (a session of their own): k from the byte counts, finite values, unique ids, valid base64, all three fields.
        let t2 = try #require(try c.call("import_model_begin", ["manifest": manifest(k: 2, mu: 3, users: 5, items: 5)]).result["import"] as? String)
        let k3 = try c.call("import_model_rows", Self.rows(t2, "items", try Self.columns([FactorRow(id: 2, bias: 0, factors: [1, 2, 3])])))
        #expect(k3.errorCode == "invalid_model" && k3.errorField == "factors_base64", "\(k3)")
        let nan = try c.call("import_model_rows", Self.rows(t2, "users", try Self.columns([FactorRow(id: 5, bias: 0, factors: [1, 2]), FactorRow(id: 6, bias: 0, factors: [1, .nan])])))
        #expect(nan.errorCode == "invalid_model" && nan.errorField == "rows[1]", "\(nan)")
        #expect(try c.call("import_model_rows", Self.rows(t2, "items", try Self.columns([FactorRow(id: 1, bias: 0, factors: [1, 2])]))).ok)
        let dup = try c.call("import_model_rows", Self.rows(t2, "items", try Self.columns([FactorRow(id: 1, bias: 0, factors: [1, 2])])))
        #expect(dup.errorCode == "invalid_model" && dup.errorField == "rows[0]" && "\(dup)".contains("duplicate"), "\(dup)")
        var garbled = try Self.columns([FactorRow(id: 2, bias: 0, factors: [1, 2])])
        garbled["ids_base64"] = "%%%"
        let b64 = try c.call("import_model_rows", Self.rows(t2, "items", garbled))
        #expect(b64.errorCode == "invalid_value" && b64.errorField == "ids_base64", "\(b64)")
        garbled["ids_base64"] = nil
        let two = try c.call("import_model_rows", Self.rows(t2, "items", garbled))
        #expect(two.errorCode == "missing_field" && two.errorField == "ids_base64", "\(two)")
        #expect(try c.call("import_abort", ["import": t2]).ok)
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
