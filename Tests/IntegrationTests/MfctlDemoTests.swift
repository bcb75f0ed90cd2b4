import Foundation
import MFLineClient
import MFTestSupport
import Testing

/// Every mfctl subcommand against the real daemon on the demo catalogue: human and
/// `--json` output, exit codes 0–4, the unreachable message, local argument checks.
@Suite
struct MfctlDemoTests {
    /// A daemon on the demo catalogue and a runner bound to its socket.
    struct Env {
        let dir: DaemonDirectory
        let mfd: Daemon
        init() throws {
            dir = try DaemonDirectory()
            mfd = try Daemon(dir: dir, ["--demo"] + Daemon.fastTraining)
            _ = try mfd.connect()  // ready
        }
        func run(_ args: String...) throws -> MfctlRun { try mfctl(args, socket: dir.socket, dir: dir.path) }
        func run(_ args: [String]) throws -> MfctlRun { try mfctl(args, socket: dir.socket, dir: dir.path) }
        func stop() { _ = mfd.stop(); dir.remove() }
        /// Writes a fixture file in the test's directory; returns its path.
        func file(_ name: String, _ text: String) throws -> String {
            let path = dir.path + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    @Test func readCommands() throws {
        let env = try Env()
        defer { env.stop() }
        let ping = try env.run("ping")
        #expect(ping.status == 0 && ping.out == "pong\n", "\(ping)")
        #expect(try env.run("ping", "--json").json["pong"] as? Bool == true)

        let rec = try env.run("recommend", "42")
        #expect(rec.status == 0, "\(rec)")
        #expect(rec.lines.first?.hasPrefix("user 42 (") == true)
        #expect(rec.lines.count == 12 && rec.lines[1].contains("#  item  title"), "\(rec)")
        #expect(rec.lines.allSatisfy { $0.count <= 80 }, "not a TTY: 80 columns\n\(rec.out)")
        let recJSON = try env.run("recommend", "42", "-n", "5", "--json")
        let items = try #require(recJSON.json["items"] as? [[String: Any]], "\(recJSON)")
        #expect(items.count == 5 && recJSON.json["user"] as? Int == 42)
        let top = try #require(items.first?["item"] as? Int)
        let title = try #require(items.first?["title"] as? String)
        #expect(rec.lines[2].contains(String(title.prefix(20))))
        // --exclude really reaches the daemon.
        let excluded = try env.run("recommend", "42", "-n", "5", "--exclude", "\(top)", "--json")
        #expect(!((excluded.json["items"] as? [[String: Any]])?.contains { $0["item"] as? Int == top } ?? true))
        // --include limits the candidates; a rated item among them only comes back with --with-seen.
        let rated = try #require((try env.run("user", "42", "--json").json["top_rated"] as? [[String: Any]])?.first?["item"] as? Int)
        let only = try env.run("recommend", "42", "--include", "\(rated)", "\(top)", "--json")
        #expect((only.json["items"] as? [[String: Any]])?.compactMap { $0["item"] as? Int } == [top], "\(only)")
        let seen = try env.run("recommend", "42", "--include", "\(rated)", "\(top)", "--with-seen", "--json")
        #expect(Set((seen.json["items"] as? [[String: Any]])?.compactMap { $0["item"] as? Int } ?? []) == [top, rated], "\(seen)")
        let seenTable = try env.run("recommend", "42", "--include", "\(rated)", "\(top)", "--with-seen")
        #expect(seenTable.status == 0 && seenTable.lines.count == 4, "\(seenTable)")
        #expect(seenTable.lines.dropFirst(2).contains { $0.split(separator: " ").dropFirst().first == "\(rated)" }, "\(seenTable)")

        let predict = try env.run("predict", "42", "\(top)")
        #expect(predict.status == 0 && predict.out.contains("(model)"), "\(predict)")
        #expect(try env.run("predict", "42", "\(top)", "--json").json["value"] is Double)
        let similar = try env.run("similar", "\(top)", "-n", "3")
        #expect(similar.status == 0 && similar.lines.count == 4, "\(similar)")
        #expect((try env.run("similar", "\(top)", "--json").json["items"] as? [Any])?.count == 10)
        let users = try env.run("similar-users", "42", "-n", "3")
        #expect(users.status == 0 && users.lines.count == 4, "\(users)")
        let usersJSON = try env.run("similar-users", "42", "-n", "3", "--json")
        let neighbours = try #require(usersJSON.json["users"] as? [[String: Any]], "\(usersJSON)")
        #expect(usersJSON.json["user"] as? Int == 42 && neighbours.count == 3 && neighbours.allSatisfy { $0["score"] is Double })
        // The human table shows the same neighbours in the same order.
        for (line, n) in zip(users.lines.dropFirst(), neighbours) { #expect(line.contains("\(n["user"] as? Int ?? -1)"), "\(users)") }
        let user = try env.run("user", "42")
        #expect(user.status == 0 && user.out.contains("user 42"), "\(user)")
        #expect(try env.run("user", "42", "--json").json["ratings"] as? Int ?? 0 > 10)
        let item = try env.run("item", "\(top)")
        #expect(item.status == 0 && item.out.contains(title), "\(item)")
        #expect(try env.run("item", "\(top)", "--json").json["title"] as? String == title)
        let status = try env.run("status")
        #expect(status.status == 0 && status.out.contains("ratings ") && status.out.contains("model "), "\(status)")
        #expect(try env.run("status", "--json").json["users"] as? Int ?? 0 > 0)
        let metrics = try env.run("metrics")
        #expect(metrics.status == 0 && metrics.out.contains("# TYPE mfd_request") && metrics.out.contains("op=\"recommend\""), "\(metrics)")
        let metricsJSON = try env.run("metrics", "--json")
        #expect(metricsJSON.status == 0 && (metricsJSON.json["text"] as? String)?.contains("# TYPE") == true, "\(metricsJSON)")

        // Exit 1: the daemon answers with an error, its code on stderr.
        let unknown = try env.run("item", "987654321")
        #expect(unknown.status == 1 && unknown.err.hasPrefix("mfctl: unknown_item: ") && unknown.out.isEmpty, "\(unknown)")
        let unknownJSON = try env.run("item", "987654321", "--json")
        #expect(unknownJSON.status == 1 && unknownJSON.err.contains("unknown_item"))
    }

    @Test func writeCommands() throws {
        let env = try Env()
        defer { env.stop() }
        let added = try env.run("add-rating", "42", "1", "4.5")
        #expect(added.status == 0 && added.out.hasPrefix("ok (seq "), "\(added)")
        let addedJSON = try env.run("add-rating", "42", "2", "3", "--timestamp", "1700000000", "--json")
        #expect(addedJSON.status == 0 && addedJSON.json["seq"] is Int, "\(addedJSON)")
        // Out of the daemon's scale: only the daemon knows it (exit 1, invalid_rating).
        let outOfScale = try env.run("add-rating", "42", "1", "9")
        #expect(outOfScale.status == 1 && outOfScale.err.contains("invalid_rating"), "\(outOfScale)")

        let deleted = try env.run("delete-rating", "42", "1")
        #expect(deleted.status == 0 && deleted.out.hasPrefix("deleted (seq ") && deleted.lines.count == 1, "\(deleted)")
        let seq = try #require(Int(deleted.out.dropFirst("deleted (seq ".count).prefix { $0.isNumber }), "\(deleted)")
        let again = try env.run("delete-rating", "42", "1")
        #expect(again.status == 1 && again.err.hasPrefix("mfctl: not_found: ") && again.out.isEmpty, "\(again)")
        #expect(try env.run("add-rating", "42", "1", "4", "--json").json["seq"] as? Int == seq + 1)
        let deletedJSON = try env.run("delete-rating", "42", "1", "--json")
        #expect(deletedJSON.status == 0 && deletedJSON.json["seq"] as? Int == seq + 2, "\(deletedJSON)")
        let folded = try env.run("fold-in", "900001", "1:5", "2:4.5", "3:1", "-n", "3")
        #expect(folded.status == 0 && folded.out.hasPrefix("folded in 3 ratings (stored)") && folded.lines.count == 5, "\(folded)")
        #expect(try env.run("fold-in", "900002", "1:5", "--no-persist", "--json").json["persisted"] as? Bool == false)
        let newUser = try env.run("add-user", "900003", "--attr", "age=31", "--attr", "job=writer")
        #expect(newUser.status == 0 && newUser.out == "created user 900003\n", "\(newUser)")
        let userJSON = try env.run("add-user", "900004", "--attr", "age=40", "--json")
        #expect(userJSON.status == 0 && userJSON.json["user"] as? Int == 900004 && userJSON.json["created"] as? Bool == true, "\(userJSON)")
        #expect(try env.run("add-user", "900004", "--json").json["created"] as? Bool == false)
        let attrs = try env.run("user", "900003", "--json").json["attributes"] as? [String: Any]
        #expect(attrs?["age"] as? Int == 31 && attrs?["job"] as? String == "writer", "\(String(describing: attrs))")
        let newItem = try env.run("add-item", "990001", "--title", "A Brand New Film (2026)", "--genres", "Drama|Sci-Fi")
        #expect(newItem.status == 0 && newItem.out == "created item 990001\n", "\(newItem)")
        let itemJSON = try env.run("add-item", "990002", "--title", "Another (2026)", "--json")
        #expect(itemJSON.status == 0 && itemJSON.json["item"] as? Int == 990002 && itemJSON.json["created"] as? Bool == true, "\(itemJSON)")
        #expect(try env.run("add-item", "990002", "--title", "Renamed (2026)").out == "updated item 990002\n")
        let shown = try env.run("item", "990001")
        #expect(shown.out.contains("A Brand New Film (2026)") && shown.out.contains("genres: Drama|Sci-Fi"), "\(shown)")
        let gone = try env.run("delete-user", "900001")
        #expect(gone.status == 0 && gone.out.hasPrefix("deleted user 900001 and 3 ratings"), "\(gone)")
        let goneJSON = try env.run("delete-user", "900003", "--json")
        #expect(goneJSON.status == 0 && goneJSON.json["ratings_deleted"] as? Int == 0 && goneJSON.json["seq"] is Int, "\(goneJSON)")
    }

    /// Rejected locally with exit 2 — against a socket that does not exist, so exit 3
    /// would show mfctl had tried to connect.
    @Test(arguments: [
        (["add-rating", "42", "110", "abc"], "RATING must be a finite number, got 'abc'"),
        (["add-rating", "42", "110", "nan"], "RATING must be a finite number"),
        (["add-rating", "42", "x", "4"], "The value 'x' is invalid for '<item>'"),
        (["fold-in", "42", "110"], "expected ITEM:RATING, got '110'"),
        (["fold-in", "42", "110:zz"], "rating in '110:zz' must be a finite number"),
        (["recommend", "42", "-n", "0"], "-n must be between 1 and 1000"),
        (["add-user", "42", "--attr", "age"], "expected name=value, got 'age'"),
        (["evaluate", "--test-fraction", "1.5"], "--test-fraction must be in (0, 1)"),
        (["plot", "items", "--out", "map.png"], "--out must name an .svg file"),
        (["plot", "nonsense", "--out", "x.svg"], "nonsense"),
        (["import", "ratings", "/nonexistent/r.csv"], "cannot read /nonexistent/r.csv"),
        (["recommend", "42", "--frobnicate"], "Unknown option '--frobnicate'"),
    ] as [([String], String)])
    func badArgumentsNeverConnect(_ args: [String], _ message: String) throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let r = try mfctl(args, socket: dir.path + "/absent.sock", dir: dir.path)
        #expect(r.status == 2, "\(r)")
        #expect(r.err.contains(message), "\(r)")
        #expect(!r.err.contains("cannot connect"))
    }

    @Test func unreachableAndTimeout() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let absent = dir.path + "/absent.sock"
        let r = try mfctl(["ping"], socket: absent, dir: dir.path)
        #expect(r.status == 3, "\(r)")
        #expect(r.err == "mfctl: cannot connect to \(absent) (No such file or directory): is mfd running? try `systemctl status mfd`\n", "\(r)")
        let rJSON = try mfctl(["recommend", "42", "--json"], socket: absent, dir: dir.path)
        #expect(rJSON.status == 3 && rJSON.out.isEmpty)

        let silent = try SilentSocket(path: dir.path + "/silent.sock")
        let t = try mfctl(["ping", "--timeout", "0.3"], socket: silent.path, dir: dir.path)
        #expect(t.status == 4, "\(t)")
        #expect(t.err.contains("no answer from mfd within 0.3 s"), "\(t)")
    }

    @Test func versionHelpAndCompletions() throws {
        let version = try ChildProcess.run(Tools.mfctl, ["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("mfctl "), "\(version)")
        for shell in ["bash", "zsh", "fish"] {
            let c = try ChildProcess.run(Tools.mfctl, ["--generate-completion-script", shell])
            #expect(c.status == 0 && c.stdout.contains("add-rating") && c.stdout.contains("plot"), "\(shell)")
        }
    }
}
