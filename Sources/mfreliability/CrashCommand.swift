import ArgumentParser
import Foundation
import MFCore
import MFLineClient

/// `mfreliability crash`: SIGKILL the real mfd under 16 writers, restart, and check
/// that every acknowledged write survived with its latest value.
struct CrashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash",
        abstract: "Kill mfd (SIGKILL) under concurrent writers; verify acknowledged writes and restart time.",
        discussion: """
        Each cycle: start mfd on the same database, time its first reply, check every \
        rating the writers saw acknowledged (through the daemon's `user` op and with \
        sqlite3 directly, plus PRAGMA integrity_check), let --writers connections do \
        add_rating/add_ratings for a random time, then SIGKILL. A request in flight at \
        the kill may or may not be stored, but never half of an add_ratings batch. \
        Exits non-zero on any lost write, torn batch, error reply, failed integrity \
        check or restart slower than --max-restart.
        """)

    @Option(help: "mfd binary (default: beside mfreliability).")
    var mfd: String?
    @Option(help: "Kill cycles.")
    var cycles = 20
    @Option(help: "Writer connections.")
    var writers = 16
    @Option(help: "Users per writer (5000000+…).")
    var usersPerWriter = 10
    @Option(help: "Items 1…N rated by writers (demo items).")
    var items = 40
    @Option(help: "Shortest writing time before a kill, seconds.")
    var minRun = 0.2
    @Option(help: "Longest writing time before a kill, seconds.")
    var maxRun = 1.5
    @Option(help: "Restart budget: seconds from spawn to first reply.")
    var maxRestart = 1.0
    @Option(help: "Seed for writers and kill times.")
    var seed: UInt64 = 1
    @Flag(help: "Keep the database directory.")
    var keep = false

    struct Report: Encodable {
        var cycles, writers, acked_requests, acked_ratings, verified_ratings: Int
        var lost, torn_batches, mismatched_sqlite, error_replies, integrity_failures: Int
        var in_flight_applied, in_flight_not_applied: Int
        var restart_s_max, restart_s_median, first_start_s: Double
        var restarts_over_budget: Int
        /// Cycles whose kill came while mfd was still loading after its restart.
        var kills_while_loading: Int
        var passed: Bool
    }

    func run() throws {
        let daemon = try RelDaemon(binary: mfd ?? defaultMFDBinary(), dir: RelDaemon.freshDirectory("crash"),
                                   arguments: ["--demo", "--retrain", "manual", "--factors", "8", "--iterations", "3"])
        defer { if daemon.isRunning { daemon.kill9() }; if !keep { daemon.remove() } }
        let writers = CrashWriters(writers: writers, usersPerWriter: usersPerWriter, items: items)
        var rng = SeededRNG(seed: seed)
        var verifier = CrashVerifier(writers: writers)
        var restarts: [Double] = []
        let firstStart = try daemon.start()
        var killsWhileLoading = 0
        for cycle in 1...cycles {
            // Every third cycle restarts mfd and starts writing at its first reply, while it
            // loads (writes wait for the end of loading), and kills it within its loading time.
            let duringLoad = cycle % 3 == 0
            if duringLoad {
                daemon.kill9()
                try daemon.start(untilLoaded: false)
            }
            try writers.start(socket: daemon.socket, seed: seed &+ UInt64(cycle) &* 7919)
            let run = duringLoad ? 0.3 * rng.nextDouble() : minRun + (maxRun - minRun) * rng.nextDouble()
            Thread.sleep(forTimeInterval: run)  // the random kill moment (a measurement, not a test wait)
            if duringLoad, (try? LineClient.connect(path: daemon.socket, timeout: 1).call("status", timeout: 1).result["loading"]) != nil {
                killsWhileLoading += 1
            }
            daemon.kill9()
            guard writers.stopAndJoin() else { throw ValidationError("writers did not stop after the kill") }
            restarts.append(try daemon.start())
            try verifier.verify(daemon)
            FileHandle.standardError.write(Data(String(format: "cycle %d/%d: killed after %.2f s, restart %.3f s, %d ratings acked so far, lost %d\n",
                                                       cycle, cycles, run, restarts.last!, verifier.ackedRatings, verifier.lost).utf8))
        }
        let status = daemon.stop()
        let overBudget = restarts.filter { $0 > maxRestart }.count
        let report = Report(
            cycles: cycles, writers: writers.ledgers.count, acked_requests: verifier.ackedRequests,
            acked_ratings: verifier.ackedRatings, verified_ratings: verifier.verified, lost: verifier.lost,
            torn_batches: verifier.torn, mismatched_sqlite: verifier.sqliteMismatch, error_replies: verifier.errorReplies.count,
            integrity_failures: verifier.integrityFailures, in_flight_applied: verifier.inFlightApplied,
            in_flight_not_applied: verifier.inFlightNotApplied, restart_s_max: restarts.max() ?? 0,
            restart_s_median: percentile(restarts, 50), first_start_s: firstStart, restarts_over_budget: overBudget,
            kills_while_loading: killsWhileLoading,
            passed: verifier.clean && overBudget == 0 && status == 0)
        try printReport(report)
        for e in verifier.problems.prefix(20) { FileHandle.standardError.write(Data((e + "\n").utf8)) }
        if status != 0 { FileHandle.standardError.write(Data("mfd exit status on SIGTERM: \(status.map(String.init) ?? "timeout")\n".utf8)) }
        if !report.passed { throw ExitCode(1) }
    }
}
