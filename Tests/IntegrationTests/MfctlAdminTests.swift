import Foundation
import Testing

/// mfctl's admin subcommands against the real demo daemon: train, tune, evaluate,
/// import, export, import-model and the two plots.
@Suite(.enabled(if: mfctlBuilt, "\(mfctlBinary) or mfd is missing: run `swift build` first"))
struct MfctlAdminTests {
    @Test func trainEvaluateTuneAndPlotTraining() throws {
        let env = try MfctlDemoTests.Env()
        defer { env.stop() }
        let train = try env.run("train", "--wait")
        #expect(train.status == 0 && train.out.contains("succeeded: train RMSE"), "\(train)")
        #expect(train.err.contains("train: 100%"), "plain progress lines when stderr is not a TTY: \(train.err)")
        let trainJSON = try env.run("train", "--wait", "--json")
        #expect(trainJSON.json["state"] as? String == "succeeded", "\(trainJSON)")

        // Plot before tune: train_status without a job id reports the newest job.
        let svg = env.dir.path + "/curve.svg"
        let plot = try env.run("plot", "training", "--out", svg)
        if plot.status == 1, plot.err.contains("reports no per-epoch log") {
            Issue.record("the daemon does not fill train_status.epochs yet: \(plot.err)")
        } else {
            #expect(plot.status == 0 && plot.out.hasPrefix("wrote \(svg): job "), "\(plot)")
            let text = try String(contentsOfFile: svg, encoding: .utf8)
            #expect(text.hasPrefix("<?xml") && text.contains("<polyline"))
        }
        let eval = try env.run("evaluate", "--test-fraction", "0.1")
        #expect(eval.status == 0 && eval.out.hasPrefix("RMSE "), "\(eval)")
        #expect(try env.run("evaluate", "--json").json["rmse"] is Double)

        let tune = try env.run("tune", "--factors", "4", "8", "--iterations", "2", "--lambda", "0.1")
        #expect(tune.status == 0 && tune.out.contains("best"), "\(tune)")
        #expect(try env.run("tune", "--factors", "4", "--iterations", "2", "--json").json["kind"] as? String == "tune")

        // Last, since a running job makes the next train/tune answer training_in_progress.
        let started = try env.run("train", "--json")
        #expect(started.status == 0 && started.json["job"] is Int, "\(started)")
    }

    @Test func importExportImportModelAndPlotItems() throws {
        let env = try MfctlDemoTests.Env()
        defer { env.stop() }
        let csv = env.dir.path + "/r.csv"
        try "userId,movieId,rating,timestamp\n800001,1,4.0,1700000000\n800001,2,oops,1700000000\n800002,3,2.5,1700000001\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let strict = try env.run("import", "ratings", csv)
        #expect(strict.status == 1 && strict.err.contains("import_failed") && strict.err.contains("r.csv:3"), "\(strict)")
        let imported = try env.run("import", "ratings", csv, "--skip-bad")
        #expect(imported.status == 0 && imported.out.hasPrefix("imported 2 ratings from 4 lines"), "\(imported)")
        #expect(imported.out.contains("line 3:"), "\(imported)")
        #expect(try env.run("import", "ratings", csv, "--skip-bad", "--json").json["imported"] as? Int == 2)

        let out = env.dir.path + "/export"
        let ratings = try env.run("export", "ratings", out)
        if engineGap(ratings) { return }
        #expect(ratings.status == 0 && ratings.out.contains("ratings to 1 part files in \(out)"), "\(ratings)")
        let exported = try String(contentsOfFile: out + "/part-00000.csv", encoding: .utf8)
        #expect(exported.hasPrefix("userId,itemId,rating,timestamp\n") && exported.contains("\n800002,3,2.5,1700000001\n"))
        let npy = try env.run("export", "factors", out, "--format", "npy")
        #expect(npy.status == 0 && FileManager.default.fileExists(atPath: out + "/item_factors_ids.npy"), "\(npy)")
        let factors = try env.run("export", "factors", out)
        #expect(factors.status == 0, "\(factors)")

        // The exported factors (users.csv, items.csv, manifest.json) go back in as an external model.
        let k = try String(contentsOfFile: out + "/items.csv", encoding: .utf8).prefix { $0 != "\n" }.split(separator: ",").count - 2
        let model = try env.run("import-model", out)
        #expect(model.status == 0 && model.out.hasPrefix("model "), "\(model)")

        let svg = env.dir.path + "/map.svg"
        let plot = try env.run("plot", "items", "--out", svg, "--labels", "10")
        #expect(plot.status == 0 && plot.out.contains("items, k=\(k), 10 labelled"), "\(plot)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.hasPrefix("<?xml") && text.contains("first genre"))
        let plotJSON = try env.run("plot", "items", "--out", svg, "--json")
        #expect(plotJSON.json["out"] as? String == svg, "\(plotJSON)")
    }
}
