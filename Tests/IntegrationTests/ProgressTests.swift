import Foundation
import MFLineClient
import MFTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Long operations report progress and never look failed while they succeed:
/// mfd is made slow on purpose (`MFD_TEST_DELAYS`, longer than mfctl's
/// `--timeout 1.5`), and mfctl waits as long as progress lines arrive.
@Suite
struct ProgressTests {
    /// A demo daemon whose named operations stall for `seconds` (never automatic retrains).
    struct Env {
        let dir: DaemonDirectory
        let mfd: Daemon
        init(slow ops: [String], seconds: Double = 3) throws {
            dir = try DaemonDirectory()
            let delays = ops.map { "\($0)=\(seconds)" }.joined(separator: ",")
            mfd = try Daemon(dir: dir, ["--demo", "--retrain", "manual"] + Daemon.fastTraining, environment: ["MFD_TEST_DELAYS": delays])
            _ = try mfd.connect()
        }
        func run(_ args: String...) throws -> MfctlRun { try mfctl(args, socket: dir.socket, dir: dir.path) }
        func stop() { _ = mfd.stop(); dir.remove() }
        func ratings(_ name: String, users: ClosedRange<Int>) throws -> String {
            let path = dir.path + "/" + name
            let rows = users.map { "\($0),\(1 + $0 % 50),4.0,1700000000" }.joined(separator: "\n")
            try ("userId,movieId,rating,timestamp\n" + rows + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        /// `status` once no loading phase runs (an import's rows are reloaded in one after its commit).
        func status(within seconds: Double = 60) throws -> [String: Any] {
            let deadline = Date().addingTimeInterval(seconds)
            let probe = try mfd.connect()
            while true {
                let s = try probe.call("status").result
                if s["loading"] == nil || Date() > deadline { return s }
                _ = poll(nil, 0, 20)  // poll interval, bounded by the deadline
            }
        }
        /// The import `status` shows committing, polled until `deadline`.
        func committingImport(within seconds: Double = 60) throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            let probe = try mfd.connect()
            while Date() < deadline {
                let imports = try probe.call("status").result["imports"] as? [[String: Any]] ?? []
                if let i = imports.first(where: { $0["state"] as? String == "committing" }), let token = i["import"] as? String { return token }
                _ = poll(nil, 0, 20)  // poll interval, bounded by the deadline
            }
            throw TestFailure("no import was committing within \(seconds) s")
        }
        /// `mfctl job TOKEN`, polled until it reports an end.
        func outcome(_ token: String, within seconds: Double = 60) throws -> MfctlRun {
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                let job = try run("job", token)
                if !job.out.contains(": committing") && !job.out.contains(": receiving") || Date() > deadline { return job }
                _ = poll(nil, 0, 50)  // poll interval, bounded by the deadline
            }
        }
    }

    @Test func everyLongOperationOutlastsTheTimeoutWhileProgressArrives() throws {
        let env = try Env(slow: ["import_commit", "train", "tune", "evaluate", "export_begin", "import_model_commit"])
        defer { env.stop() }
        let file = try env.ratings("r.csv", users: 900001...900040)
        let imported = try env.run("import", "ratings", file, "--timeout", "1.5")
        #expect(imported.status == 0 && imported.out.hasPrefix("imported 40 ratings"), "\(imported)")
        #expect(imported.err.contains("import r.csv commit"), "the bar goes on through mfd's stages: \(imported)")
        let train = try env.run("train", "--wait", "--timeout", "1.5")
        #expect(train.status == 0 && train.out.contains("succeeded"), "\(train)")
        let tune = try env.run("tune", "--factors", "4", "--iterations", "2", "--lambda", "0.1", "--timeout", "1.5")
        #expect(tune.status == 0 && tune.out.contains("best"), "\(tune)")
        let eval = try env.run("evaluate", "--test-fraction", "0.1", "--timeout", "1.5")
        #expect(eval.status == 0 && eval.out.hasPrefix("RMSE "), "\(eval)")
        let out = env.dir.path + "/model"
        let export = try env.run("export", "factors", out, "--timeout", "1.5")
        #expect(export.status == 0 && export.out.contains("wrote "), "\(export)")
        let model = try env.run("import-model", out, "--timeout", "1.5")
        #expect(model.status == 0 && model.out.hasPrefix("model "), "\(model)")
    }

    /// Progress lines only for a request that asks; meanwhile reads are served,
    /// writes get `busy`, and `status` shows the import instead of a bare count.
    @Test func progressLinesWhenAskedWhileReadsGoOnAndWritesGetBusy() throws {
        let env = try Env(slow: ["import_commit"], seconds: 3)
        defer { env.stop() }
        let client = try env.mfd.connect()
        let token = try #require(client.call("import_begin", ["kind": "ratings", "name": "p.csv"]).result["import"] as? String)
        #expect(try client.call("import_chunk", ["import": token, "data": "userId,movieId,rating\n910001,1,4.5\n"]).ok)
        try client.send(#"{"id":"c","op":"import_commit","import":"\#(token)","progress":true}"# + "\n")
        let first = try client.reply()
        let progress = try #require(first.object["progress"] as? [String: Any], "a progress line first: \(first)")
        #expect(first.object["id"] as? String == "c" && first.object["ok"] == nil && progress["import"] as? String == token, "\(first)")
        #expect(progress["stage"] is String && progress["done"] is Int && progress["total"] is Int, "\(first)")

        // While it commits: the import in status, reads answered, writes refused with a retry hint.
        let other = try env.mfd.connect()
        let status = try other.call("status").result
        let importing = try #require((status["imports"] as? [[String: Any]])?.first, "\(status)")
        #expect(importing["import"] as? String == token && importing["state"] as? String == "committing", "\(status)")
        #expect(try other.call("recommend", ["user": 1, "n": 3]).ok)
        let write = try other.call("add_rating", ["user": 1, "item": 2, "rating": 3])
        #expect(write.errorCode == "busy" && write.raw.contains(token) && write.raw.contains("retry"), "\(write)")
        let ctl = try env.run("status")
        #expect(ctl.out.contains("(before the import under way)") && ctl.out.contains("importing ratings: commit"), "\(ctl)")

        var reply = try client.reply()
        while reply.object["progress"] != nil { reply = try client.reply() }
        #expect(reply.ok && reply.result["imported"] as? Int == 1, "\(reply)")
        let done = try other.call("import_status", ["import": token]).result
        #expect(done["state"] as? String == "committed" && (done["result"] as? [String: Any])?["imported"] as? Int == 1, "\(done)")

        // A client that does not ask gets the reply alone, as before.
        let quiet = try #require(client.call("import_begin", ["kind": "ratings"]).result["import"] as? String)
        #expect(try client.call("import_chunk", ["import": quiet, "data": "userId,movieId,rating\n910002,1,4\n"]).ok)
        let plain = try client.call("import_commit", ["import": quiet])
        #expect(plain.ok && plain.object["progress"] == nil, "\(plain)")
    }

    @Test func aConnectionLostDuringTheUploadStoresNothingAndSaysSo() throws {
        let env = try Env(slow: [])
        defer { env.stop() }
        let before = try env.status()["ratings"] as? Int
        var token = ""
        do {
            let client = try env.mfd.connect()
            token = try #require(client.call("import_begin", ["kind": "ratings", "size": 1000]).result["import"] as? String)
            #expect(try client.call("import_chunk", ["import": token, "data": "userId,movieId,rating\n920001,1,4\n"]).ok)
        }  // the connection closes halfway through the file
        let job = try env.outcome(token)
        #expect(job.status == 1 && job.out.contains("aborted") && job.out.contains("nothing was stored"), "\(job)")
        #expect(env.mfd.log.contains("import aborted: its connection closed before import_commit; nothing was stored"), "\(env.mfd.log)")
        #expect(env.mfd.log.contains("import=\(token)"))
        #expect(try env.status()["ratings"] as? Int == before)
    }

    @Test func killingMfctlDuringTheCommitStillCommits() throws {
        let env = try Env(slow: ["import_commit"], seconds: 3)
        defer { env.stop() }
        let before = try #require(env.status()["ratings"] as? Int)
        let file = try env.ratings("k.csv", users: 930001...930030)
        let ctl = try MfctlChild(["import", "ratings", file], socket: env.dir.socket, dir: env.dir.path)
        let token = try env.committingImport()
        ctl.kill()
        let job = try env.outcome(token)
        #expect(job.status == 0 && job.out.contains("committed: imported 30 ratings"), "\(job)")
        #expect(try env.status()["ratings"] as? Int == before + 30)
    }

    /// An export whose connection is lost leaves no file that looks complete:
    /// mfctl writes `NAME.partial`, renames only when all arrived, and removes
    /// its `.partial` files when the export fails; the earlier export's files stay.
    @Test func anExportCutOffByALostConnectionLeavesOnlyTheEarlierCompleteFiles() throws {
        let env = try Env(slow: ["export_begin"], seconds: 1)
        defer { env.stop() }
        let out = env.dir.path + "/exported"
        let first = try env.run("export", "factors", out)
        #expect(first.status == 0, "\(first)")
        let users = try String(contentsOfFile: out + "/users.csv", encoding: .utf8)
        let delays = env.mfd.log.components(separatedBy: "test delay").count
        let ctl = try MfctlChild(["export", "factors", out], socket: env.dir.socket, dir: env.dir.path)
        let deadline = Date().addingTimeInterval(60)
        while env.mfd.log.components(separatedBy: "test delay").count == delays && Date() < deadline {
            _ = poll(nil, 0, 20)  // poll interval, bounded by the deadline
        }
        env.mfd.signal(SIGKILL)  // the connection is lost during the export
        let run = ctl.wait()
        #expect(run.status != 0, "\(run)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(names == ["items.csv", "manifest.json", "users.csv"], "\(names)")
        #expect(try String(contentsOfFile: out + "/users.csv", encoding: .utf8) == users)
    }

    /// Silence (mfd stopped) is a timeout: mfctl names the import and the command that tells how it ends.
    @Test func silenceIsATimeoutThatNamesTheImport() throws {
        let env = try Env(slow: ["import_commit"], seconds: 3)
        defer { env.stop() }
        let file = try env.ratings("s.csv", users: 940001...940010)
        let ctl = try MfctlChild(["import", "ratings", file, "--timeout", "1"], socket: env.dir.socket, dir: env.dir.path)
        let token = try env.committingImport()
        env.mfd.signal(SIGSTOP)
        let run = ctl.wait()
        env.mfd.signal(SIGCONT)
        #expect(run.status == 4 && run.err.contains("mfctl job \(token)") && run.err.contains("may well succeed"), "\(run)")
        let job = try env.outcome(token)
        #expect(job.status == 0 && job.out.contains("committed: imported 10 ratings"), "\(job)")
    }

    @Test func trainWaitJoinsTheRunningJobWithoutAnError() throws {
        let env = try Env(slow: ["train"], seconds: 3)
        defer { env.stop() }
        let started = try env.run("train", "--json")
        let job = try #require(started.json["job"] as? Int, "\(started)")
        let errors = try env.status()["errors"] as? Int
        let waited = try env.run("train", "--wait", "--timeout", "1.5")
        #expect(waited.status == 0 && waited.out.hasPrefix("job \(job) succeeded"), "\(waited)")
        #expect(try env.status()["errors"] as? Int == errors, "joining is no request error")
    }
}
