import Foundation
import MFLineClient
import MFTestSupport
import Testing

/// tune, metrics, recommend explain and the mfctl `.npy` export against the real daemon (demo catalogue).
@Suite
struct FeatureTuneMetricsExplainTests {
    @Test func tuneReportsEveryTrialAndAppliesTheBest() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, ["--demo", "--retrain", "manual"] + Daemon.fastTraining)
        let c = try mfd.connect()
        let job = try c.call("tune", ["factors": [4, 8], "lambda": [0.1], "iterations": [2], "apply": true, "wait": true], timeout: 600)
        #expect(job.result["kind"] as? String == "tune" && job.result["state"] as? String == "succeeded", "\(job)")
        let report = try #require(job.result["tune"] as? [String: Any])
        let trials = try #require(report["trials"] as? [[String: Any]])
        #expect(trials.count == 2 && trials.allSatisfy { ($0["rmse"] as? Double ?? 0) > 0 && $0["ndcg_at_10"] is NSNumber })
        let best = try #require(report["best"] as? [String: Any])
        #expect(best["rmse"] as? Double == trials.compactMap { $0["rmse"] as? Double }.min())
        #expect(report["applied"] as? Bool == true)
        #expect(try c.call("get_config").result["factors"] as? Int == best["factors"] as? Int)
        let status = try c.call("train_status", ["job": job.result["job"] as? Int ?? -1])
        #expect(status.result["kind"] as? String == "tune")
        #expect(mfd.stop() == 0, "\(mfd.log)")
    }

    @Test func metricsExposeRequestsLatencyAndModel() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, ["--demo", "--retrain", "manual"] + Daemon.fastTraining)
        let c = try mfd.connect()
        for u in 1...5 { #expect(try c.call("recommend", ["user": u]).ok) }
        let text = try #require(try c.call("metrics").result["text"] as? String)
        #expect(text.contains("mfd_requests_total{op=\"recommend\"} 5"), "\(text)")
        #expect(text.contains("mfd_request_duration_seconds_count{op=\"recommend\"} 5"))
        #expect(text.contains("mfd_request_duration_seconds_bucket{op=\"recommend\",le=\"+Inf\"} 5"))
        let ratings = try #require(try c.call("status").result["ratings"] as? Int)
        let samples = Dictionary(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            (String(line.split(separator: " ").first ?? ""), Double(line.split(separator: " ").last.map(String.init) ?? ""))
        }, uniquingKeysWith: { a, _ in a })
        #expect(samples["mfd_ratings"] == Double(ratings), "\(text)")
        #expect(samples["mfd_model_age_seconds"] != nil && samples["mfd_training_rmse"] != nil)
        #expect(text.contains("# HELP mfd_ratings ") && text.contains("# TYPE mfd_request_duration_seconds histogram"))
        // Every sample line is `name{labels} value` with a numeric value.
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(Double(line.split(separator: " ").last.map(String.init) ?? "") != nil || line.hasSuffix("+Inf"), "\(line)")
        }
        #expect(mfd.stop() == 0, "\(mfd.log)")
    }

    @Test func explainNamesRatedItemsForModelAndFoldedInUsers() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, ["--demo", "--retrain", "manual"] + Daemon.fastTraining)
        let c = try mfd.connect()
        #expect(try c.call("fold_in", ["user": 900_000_002, "ratings": [[1, 5], [2, 5], [3, 1], [4, 4.5]]]).ok)
        for user in [42, 900_000_002] {
            let rated = Set((try c.call("user", ["user": user, "top": 1000]).result["top_rated"] as? [[String: Any]] ?? [])
                .compactMap { ($0["item"] as? NSNumber)?.int64Value })
            let rec = try c.call("recommend", ["user": user, "n": 5, "explain": true])
            #expect(rec.items.count == 5, "\(rec)")
            var explained = 0
            for item in rec.items {
                let because = item["because"] as? [[String: Any]] ?? []
                #expect(because.count <= 3)
                let shares = because.compactMap { ($0["share"] as? NSNumber)?.doubleValue }
                #expect(shares.allSatisfy { $0 > 0 && $0 <= 1 } && shares.reduce(0, +) <= 1 + 1e-5 && shares == shares.sorted(by: >))
                #expect(because.allSatisfy { rated.contains(($0["item"] as? NSNumber)?.int64Value ?? -1) })
                if !because.isEmpty { explained += 1 }
            }
            #expect(explained > 0, "\(rec)")
        }
        let plain = try c.call("recommend", ["user": 42, "n": 5])
        #expect(plain.items.allSatisfy { $0["because"] == nil })
        #expect(mfd.stop() == 0, "\(mfd.log)")
    }

    @Test(.enabled(if: Python.hasNumpy, "needs python3 with numpy"))
    func npyExportLoadsInNumpyAndReproducesPredict() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, ["--demo", "--retrain", "manual"] + Daemon.fastTraining)
        let c = try mfd.connect()
        let out = dir.path + "/npy"
        #expect(try ChildProcess.run(Tools.mfctl, ["export", "factors", out, "--format", "npy", "--socket", dir.socket]).status == 0)
        let mu = try #require((try c.call("export_begin", ["what": "item_factors"]).result["global_mean"] as? NSNumber)?.doubleValue)
        // Python prints "user item raw" for 50 pairs; each must match predict.
        let script = """
        import numpy as np, sys
        d = sys.argv[1]; mu = float(sys.argv[2])
        P, Q = np.load(d + "/user_factors.npy"), np.load(d + "/item_factors.npy")
        pu, qi = np.load(d + "/user_factors_ids.npy"), np.load(d + "/item_factors_ids.npy")
        bu, bi = np.load(d + "/user_factors_biases.npy"), np.load(d + "/item_factors_biases.npy")
        assert P.dtype == np.float32 and pu.dtype == np.int64 and P.shape == (len(pu), Q.shape[1]) and Q.shape[0] == len(qi) == len(bi) and len(bu) == len(pu)
        S = mu + bu[:, None] + bi[None, :] + P.astype(np.float64) @ Q.T.astype(np.float64)
        n = 0
        for u in range(min(len(pu), 30)):
            for i in range(min(len(qi), 30)):
                if 0.6 < S[u, i] < 4.9 and n < 50:
                    print(pu[u], qi[i], repr(float(S[u, i]))); n += 1
        """
        let py = try ChildProcess.run("/usr/bin/env", ["python3", "-c", script, out, "\(mu)"])
        #expect(py.status == 0, "\(py)")
        let lines = py.stdout.split(separator: "\n")
        #expect(lines.count == 50)
        for line in lines {
            let f = line.split(separator: " ")
            let p = try c.call("predict", ["user": Int64(f[0])!, "item": Int64(f[1])!])
            #expect(abs(((p.result["value"] as? NSNumber)?.doubleValue ?? .nan) - Double(f[2])!) < 1e-4, "\(line) vs \(p)")
        }
        #expect(mfd.stop() == 0, "\(mfd.log)")
    }
}
