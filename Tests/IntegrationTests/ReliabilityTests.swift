import Foundation
import MFTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Reduced-size runs of `mfreliability crash|fuzz|load|access` (docs/reliability.md has
/// the full-size figures and commands). Each run exits non-zero on any failure;
/// the checks below name which figure broke.
@Suite
struct ReliabilityTests {
    @Test func sigkillUnderSixteenWritersLosesNoAcknowledgedWrite() throws {
        // Debug build on a shared 2-core machine: the restart budget is loose here; full mode records the release figure.
        let r = try runBench(["crash", "--cycles", "3", "--writers", "16", "--min-run", "0.2", "--max-run", "0.8", "--max-restart", "15"])
        #expect(r.int("lost") == 0 && r.int("torn_batches") == 0 && r.int("mismatched_sqlite") == 0, "\(r)")
        #expect(r.int("integrity_failures") == 0 && r.int("error_replies") == 0, "\(r)")
        #expect(r.int("acked_ratings") > 0 && r.int("verified_ratings") > 0, "the writers must have written something: \(r)")
        #expect(r.exitStatus == 0, "\(r)")
    }

    @Test func hostileLinesGetAnswersAndChangeNothing() throws {
        let r = try runBench(["fuzz", "--inputs", "6000", "--connections", "3", "--huge-every", "1500", "--huge-bytes", "3000000"])
        #expect(r.int("inputs") == 6000 && r.int("crashes") == 0, "\(r)")
        #expect(r.int("unanswered") == 0 && r.int("malformed_replies") == 0 && r.int("unexpected_closes") == 0, "\(r)")
        #expect(r.int("writes_acknowledged") == 0 && r.bool("data_unchanged"), "\(r)")
        #expect(r.int("huge_lines") == 3 && r.int("huge_answered") == 3, "\(r)")
        #expect(r.exitStatus == 0, "\(r)")
    }

    @Test func concurrentClientsAcrossARetrainSeeOneWholeModel() throws {
        let r = try runBench(["load", "--clients", "32", "--writers", "8", "--trains", "1", "--gap", "0.5",
                              "--factors", "4", "--iterations", "2"])
        #expect(r.int("errors") == 0 && r.int("inconsistent_answers") == 0, "\(r)")
        #expect(r.int("distinct_model_states") == 2 && r.int("probe_answers_checked") > 0, "\(r)")
        #expect(r.exitStatus == 0, "\(r)")
    }

    @Test(.enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                   "needs root and setpriv to connect as other users"))
    func otherUsersGetWhatThePolicyGrants() throws {
        let r = try runBench(["access"])
        #expect(r.int("wrong") == 0 && r.int("denials_unlogged") == 0, "\(r)")
        #expect(r.int("cases") > 100 && r.int("denied_ok") > 0 && r.int("allowed_ok") > 0, "\(r)")
        #expect(r.exitStatus == 0, "\(r)")
    }
}

/// One mfreliability or mfbench run: exit status, its JSON report (last stdout line) and stderr.
struct BenchRun: CustomStringConvertible {
    let output: ChildProcess.Output
    var exitStatus: Int32 { output.status }
    var report: [String: Any] {
        let last = output.stdout.split(separator: "\n").last.map(String.init) ?? ""
        return (try? JSONSerialization.jsonObject(with: Data(last.utf8))) as? [String: Any] ?? [:]
    }

    func int(_ key: String) -> Int { (report[key] as? NSNumber)?.intValue ?? -1 }
    func bool(_ key: String) -> Bool { report[key] as? Bool == true }
    var description: String { "\(output)" }
}

/// `withDaemon`: the subcommand starts its own mfd (`--mfd`); otherwise it is given a socket.
func runBench(_ arguments: [String], withDaemon: Bool = true, tool: String = Tools.mfreliability) throws -> BenchRun {
    BenchRun(output: try ChildProcess.run(tool, arguments + (withDaemon ? ["--mfd", Tools.mfd] : []), timeout: 1800))
}
