import Foundation
import MFLineClient
import Testing

/// mfctl's admin subcommands against the real demo daemon: train, tune, evaluate,
/// import, export, import-model and the two plots.
@Suite
struct MfctlAdminTests {
    @Test func trainEvaluateTuneAndPlotTraining() throws {
        let env = try MfctlDemoTests.Env()
        defer { env.stop() }
        let train = try env.run("train", "--wait")
        #expect(train.status == 0 && train.out.contains("succeeded: train RMSE"), "\(train)")
        #expect(train.err.contains("train: 100%"), "plain progress lines when stderr is not a TTY: \(train.err)")
        let trainJSON = try env.run("train", "--wait", "--json")
        #expect(trainJSON.json["state"] as? String == "succeeded", "\(trainJSON)")
        // --json is the daemon's answer (the finished job), as train_status then reports it, byte for byte.
        let job = try #require(trainJSON.json["job"] as? Int)
        let status = try env.mfd.connect().call("train_status", ["job": job]).raw
        let result = try #require(status.range(of: #""result":"#).map { status[$0.upperBound...].dropLast() }, "\(status)")
        #expect(trainJSON.out == result + "\n")

        // Plot before tune: train_status without a job id reports the newest job.
        let svg = env.dir.path + "/curve.svg"
        let plot = try env.run("plot", "training", "--out", svg)
        if plot.status == 1, plot.err.contains("reports no per-epoch log") {
            Issue.record("the daemon does not fill train_status.epochs yet: \(plot.err)")
        } else {
            #expect(plot.status == 0 && plot.out.hasPrefix("wrote \(svg): job "), "\(plot)")
            let text = try String(contentsOfFile: svg, encoding: .utf8)
            #expect(text.hasPrefix("<?xml") && text.contains("<polyline"))
            let plotJSON = try env.run("plot", "training", "--out", svg, "--job", "\(job)", "--json")
            #expect(plotJSON.status == 0 && plotJSON.json["out"] as? String == svg, "\(plotJSON)")
            #expect((plotJSON.json["summary"] as? String)?.hasPrefix("job \(job), ") == true, "\(plotJSON)")
        }
        let eval = try env.run("evaluate", "--test-fraction", "0.1", "--timeout", "600")
        #expect(eval.status == 0 && eval.out.hasPrefix("RMSE "), "\(eval)")
        #expect(try env.run("evaluate", "--json", "--timeout", "600").json["rmse"] is Double)

        let tune = try env.run("tune", "--factors", "4", "8", "--iterations", "2", "--lambda", "0.1")
        #expect(tune.status == 0 && tune.out.contains("best"), "\(tune)")
        #expect(try env.run("tune", "--factors", "4", "--iterations", "2", "--json").json["kind"] as? String == "tune")

        // Last, since a running job makes the next tune answer training_in_progress.
        let started = try env.run("train", "--json")
        #expect(started.json["job"] is Int, "\(started)")
        // `train --wait` meanwhile joins the running job (ProgressTests shows it with a job held running).
        let waited = try env.run("train", "--wait")
        #expect(waited.status == 0 && waited.out.contains(" succeeded: train RMSE"), "\(waited)")
    }

    /// Items (ml1m, named with --format) and users (CSV, sniffed) through mfctl, from files the test writes.
    @Test func importItemsAndUsers() throws {
        let env = try MfctlDemoTests.Env()
        defer { env.stop() }
        let movies = try env.file("movies.dat", "990101::Quiet Harbour (1999)::Drama|Romance\n990102::Iron Sky Run (2004)::Action\n")
        let items = try env.run("import", "items", movies, "--format", "ml1m")
        #expect(items.status == 0 && items.out.hasPrefix("imported 2 items from 2 lines (ml1m), skipped 0"), "\(items)")
        // The bar shows mfd's stages (`write: …`) only when a commit outlasts a progress tick (0.5 s, a loaded machine).
        #expect(items.err.hasPrefix("import movies.dat upload: 100%\n") && items.err.hasSuffix("import movies.dat: 100%\n"), "\(items)")
        let shown = try env.run("item", "990101")
        #expect(shown.out.contains("Quiet Harbour (1999)") && shown.out.contains("genres: Drama|Romance"), "\(shown)")
        // The same file read as CSV has no header: rejected, naming the file, and nothing stored.
        let wrong = try env.run("import", "items", movies, "--format", "csv")
        #expect(wrong.status == 1 && wrong.err.contains("import_failed") && wrong.err.contains("no item column") && wrong.err.hasSuffix("(movies.dat)\n"), "\(wrong)")

        let users = try env.file("users.csv", "userId,age,job\n880001,34,pilot\n880002,51,chef\n")
        let usersJSON = try env.run("import", "users", users, "--json")
        #expect(usersJSON.status == 0 && usersJSON.json["kind"] as? String == "users" && usersJSON.json["imported"] as? Int == 2, "\(usersJSON)")
        #expect(usersJSON.json["format"] as? String == "movielens" && usersJSON.json["duration_s"] is Double)
        let attrs = try env.run("user", "880002", "--json").json["attributes"] as? [String: Any]
        #expect(attrs?["age"] as? Int == 51 && attrs?["job"] as? String == "chef", "\(String(describing: attrs))")
    }

    @Test func importExportImportModelAndPlotItems() throws {
        let env = try MfctlDemoTests.Env()
        defer { env.stop() }
        let csv = try env.file("r.csv", "userId,movieId,rating,timestamp\n800001,1,4.0,1700000000\n800001,2,oops,1700000000\n800002,3,2.5,1700000001\n")
        let strict = try env.run("import", "ratings", csv)
        #expect(strict.status == 1 && strict.err.contains("import_failed") && strict.err.contains("r.csv:3"), "\(strict)")
        let imported = try env.run("import", "ratings", csv, "--skip-bad")
        #expect(imported.status == 0 && imported.out.hasPrefix("imported 2 ratings from 4 lines"), "\(imported)")
        #expect(imported.out.contains("line 3:"), "\(imported)")
        // stderr is a file here, not a TTY: plain progress lines, no bar or carriage returns.
        #expect(imported.err.hasSuffix("import r.csv: 100%\n") && !imported.err.contains("\r"), "\(imported)")
        #expect(try env.run("import", "ratings", csv, "--skip-bad", "--json").json["imported"] as? Int == 2)

        let out = env.dir.path + "/export"
        let ratings = try env.run("export", "ratings", out)
        #expect(ratings.status == 0 && ratings.out.contains("ratings to 1 part files in \(out)"), "\(ratings)")
        let exported = try String(contentsOfFile: out + "/part-00000.csv", encoding: .utf8)
        #expect(exported.hasPrefix("userId,itemId,rating,timestamp\n") && exported.contains("\n800002,3,2.5,1700000001\n"))
        let npy = try env.run("export", "factors", out, "--format", "npy")
        #expect(npy.status == 0 && FileManager.default.fileExists(atPath: out + "/item_factors_ids.npy"), "\(npy)")
        // --json: the export_begin result of each table, one per line.
        let ratingsJSON = try env.run("export", "ratings", env.dir.path + "/export-json", "--json")
        let ratingsHeader = try #require(ratingsJSON.jsonLines, "\(ratingsJSON)")
        #expect(ratingsJSON.status == 0 && ratingsHeader.count == 1 && ratingsHeader.first?["what"] as? String == "ratings", "\(ratingsJSON)")
        #expect(ratingsHeader.first?["columns"] as? [String] == ["user", "item", "rating", "timestamp"] && ratingsHeader.first?["sequence"] is Int)
        let factors = try env.run("export", "factors", out, "--json")
        let headers = try #require(factors.jsonLines, "\(factors)")
        #expect(factors.status == 0 && headers.map { $0["what"] as? String } == ["user_factors", "item_factors"], "\(factors)")
        #expect(headers.allSatisfy { $0["rows"] as? Int ?? 0 > 0 && $0["model_id"] is Int })

        // The exported factors (users.csv, items.csv, manifest.json) go back in as an external model.
        let k = try String(contentsOfFile: out + "/items.csv", encoding: .utf8).prefix { $0 != "\n" }.split(separator: ",").count - 2
        let model = try env.run("import-model", out)
        #expect(model.status == 0 && model.out.hasPrefix("model "), "\(model)")
        let modelJSON = try env.run("import-model", out, "--json")
        #expect(modelJSON.status == 0 && modelJSON.json["factors"] as? Int == k && modelJSON.json["model_id"] is Int, "\(modelJSON)")
        #expect(modelJSON.json["users"] as? Int == headers.first?["rows"] as? Int && modelJSON.json["items"] as? Int == headers.last?["rows"] as? Int)
        // The .npy export goes back in too (its manifest names user_factors.npy; binary columns on the wire).
        let npyDir = env.dir.path + "/export-npy"
        #expect(try env.run("export", "factors", npyDir, "--format", "npy").status == 0)
        let npyModel = try env.run("import-model", npyDir, "--json")
        #expect(npyModel.status == 0 && npyModel.json["factors"] as? Int == k, "\(npyModel)")
        #expect(npyModel.json["users"] as? Int == modelJSON.json["users"] as? Int && npyModel.json["items"] as? Int == modelJSON.json["items"] as? Int)

        let svg = env.dir.path + "/map.svg"
        let plot = try env.run("plot", "items", "--out", svg, "--labels", "10")
        #expect(plot.status == 0 && plot.out.contains("items, k=\(k), 10 labelled"), "\(plot)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.hasPrefix("<?xml") && text.contains("first genre"))
        let plotJSON = try env.run("plot", "items", "--out", svg, "--json")
        #expect(plotJSON.json["out"] as? String == svg, "\(plotJSON)")
    }
}
