import Foundation
import MFLineClient
import MFTestSupport
import Testing

/// `mfbench serve` against a demo daemon, tiny sizes: the closed loop and the
/// open loop (`--rate`, one thread over several connections) pair every reply
/// with its request and report sane figures. docs/benchmarks.md has the real runs.
@Suite
struct ServeBenchTests {
    @Test func closedAndOpenLoopAnswerEveryRequest() throws {
        let dir = try DaemonDirectory()
        let mfd = try Daemon(dir: dir, ["--demo"] + Daemon.fastTraining)
        defer { _ = mfd.stop(); dir.remove() }
        _ = try mfd.connect()
        let common = ["serve", "--socket", dir.socket, "--users", "50", "--seconds", "0.5", "--connections", "3", "--json"]
        let closed = try runBench(common + ["--depth", "2"], withDaemon: false, tool: Tools.mfbench)
        let open = try runBench(common + ["--rate", "400", "--trace-file", dir.path + "/trace.csv"], withDaemon: false, tool: Tools.mfbench)
        for (name, run) in [("closed", closed), ("open", open)] {
            #expect(run.exitStatus == 0, "\(name): \(run)")
            for op in ["recommend", "add_rating"] {
                let s = run.report[op] as? [String: Any] ?? [:]
                let n = (s["requests"] as? NSNumber)?.intValue ?? 0
                let p50 = (s["p50_us"] as? NSNumber)?.doubleValue ?? -1, p99 = (s["p99_us"] as? NSNumber)?.doubleValue ?? -1
                #expect(n > 0 && p50 > 0 && p99 >= p50, "\(name) \(op): \(s)")
                // Open loop: exactly rate × seconds requests, every one answered.
                if name == "open" { #expect(n == 200, "\(op): \(s)") }
            }
        }
        // The trace holds one row per reply of the last phase, scheduled times ascending.
        let rows = try String(contentsOfFile: dir.path + "/trace.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let scheduled = rows.compactMap { Int($0.split(separator: ",")[0]) }
        #expect(rows.count == 200 && scheduled == scheduled.sorted(), "\(rows.prefix(5))")
    }
}
