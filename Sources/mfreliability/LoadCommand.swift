import ArgumentParser
import Foundation
import MFCore
import MFLineClient

/// `mfreliability load`: 64 clients of mixed reads and writes while retrains run and swap.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Mixed read/write load on a real mfd across retrains; errors, consistency and p99 during retrain.",
        discussion: """
        --clients connections (--writers of them writing add_rating/add_ratings, the rest \
        reading) run while an admin connection runs `train` (wait) --trains times with \
        --gap seconds between. Probe requests (recommend over fixed candidates and predict \
        for users nobody writes) depend only on the serving model: each answer seen must \
        equal the answer of one whole model captured while quiet, so a half-swapped model \
        is caught. Every error reply fails the run.
        """)

    @Option(help: "mfd binary (default: beside mfreliability).")
    var mfd: String?
    @Option(help: "Client connections in total.")
    var clients = 64
    @Option(help: "How many of them write.")
    var writers = 16
    @Option(help: "Retrains (each `train` with wait).")
    var trains = 3
    @Option(help: "Seconds of load before, between and after retrains.")
    var gap = 2.0
    @Option(help: "Training factors (bigger = longer retrain window).")
    var factors = 32
    @Option(help: "Training iterations.")
    var iterations = 10
    @Option(help: "Probe users (demo users 1…N, never written).")
    var probes = 20
    @Option(help: "Seed.")
    var seed: UInt64 = 3
    @Flag(help: "Keep the database directory.")
    var keep = false

    struct Latency: Encodable { var requests: Int; var p50_ms, p99_ms, max_ms: Double }
    struct Report: Encodable {
        var clients, writers, trains, requests, errors: Int
        var inconsistent_answers, probe_answers_checked, distinct_model_states: Int
        var model_ids: [Int64]
        var overall, during_retrain, outside_retrain, reads_during_retrain, writes_during_retrain: Latency
        var retrain_s: [Double]
        var seconds: Double
        var passed: Bool
    }

    func run() throws {
        let daemon = try RelDaemon(binary: mfd ?? defaultMFDBinary(), dir: RelDaemon.freshDirectory("load"),
                                   arguments: ["--demo", "--retrain", "manual", "--factors", "\(factors)",
                                               "--iterations", "\(iterations)", "--log-level", "warning"])
        defer { if daemon.isRunning { daemon.kill9() }; if !keep { daemon.remove() } }
        try daemon.start()
        let admin = try LineClient.connect(path: daemon.socket, timeout: 10)
        let candidates = try (1001...1200).map(Int64.init).filter { try admin.call("similar_items", ["item": $0, "n": 1]).ok }
        guard candidates.count >= 20 else { throw ValidationError("only \(candidates.count) candidate items have factors") }
        let probeSet = LoadProbes(users: (1...Int64(probes)).map { $0 }, candidates: Array(candidates.prefix(100)))
        var states = [try probeSet.capture(admin)]
        var modelIDs = [try modelID(admin)]
        let t0 = DispatchTime.now()
        let load = LoadClients(clients: clients, writers: writers, probes: probeSet, t0: t0)
        try load.start(socket: daemon.socket, seed: seed)
        var windows: [(Double, Double)] = []
        var adminErrors: [String] = []
        Thread.sleep(forTimeInterval: gap)  // load phase length (a measurement, not a wait for an event)
        for _ in 0..<trains {
            let start = load.now()
            let r = try admin.call("train", ["wait": true], timeout: 1800)
            windows.append((start, load.now()))
            if !r.ok || r.result["state"] as? String != "succeeded" { adminErrors.append("train: \(r)") }
            states.append(try probeSet.capture(admin))  // quiet: no training runs until the next call
            modelIDs.append(try modelID(admin))
            Thread.sleep(forTimeInterval: gap)
        }
        let joined = load.stopAndJoin()
        let seconds = load.now()
        let status = try admin.call("status")
        if status.result["running"] != nil { adminErrors.append("status still shows a running job: \(status)") }
        let exit = daemon.stop()
        if exit != 0 { adminErrors.append("mfd exit status \(exit.map(String.init) ?? "timeout") on SIGTERM") }
        if !joined { adminErrors.append("clients did not stop") }

        var samples: [(start: Double, latency: Double, write: Bool)] = []
        var errors = adminErrors
        var inconsistent: [String] = [], checked = 0
        for log in load.logs.map({ $0.withLock { $0 } }) {
            samples += log.samples
            errors += log.errors
            for (key, answers) in log.probeAnswers {
                let allowed = Set(states.compactMap { $0[key] })
                checked += answers.count
                for a in answers where !allowed.contains(a) { inconsistent.append("\(key): \(a.prefix(200))") }
            }
        }
        func during(_ s: (start: Double, latency: Double, write: Bool)) -> Bool { windows.contains { s.start >= $0.0 && s.start < $0.1 } }
        func latency(_ xs: [(start: Double, latency: Double, write: Bool)]) -> Latency {
            let l = xs.map { $0.latency * 1000 }
            return Latency(requests: l.count, p50_ms: percentile(l, 50), p99_ms: percentile(l, 99), max_ms: l.max() ?? 0)
        }
        let distinct = Set(states.map { $0.sorted { $0.key < $1.key }.map(\.value) }).count
        let report = Report(
            clients: clients, writers: writers, trains: trains, requests: samples.count, errors: errors.count,
            inconsistent_answers: inconsistent.count, probe_answers_checked: checked, distinct_model_states: distinct,
            model_ids: modelIDs, overall: latency(samples), during_retrain: latency(samples.filter(during)),
            outside_retrain: latency(samples.filter { !during($0) }),
            reads_during_retrain: latency(samples.filter { during($0) && !$0.write }),
            writes_during_retrain: latency(samples.filter { during($0) && $0.write }),
            retrain_s: windows.map { $0.1 - $0.0 }, seconds: seconds,
            passed: errors.isEmpty && inconsistent.isEmpty && distinct == trains + 1 && Set(modelIDs).count == trains + 1)
        try printReport(report)
        for e in (errors + inconsistent).prefix(20) { FileHandle.standardError.write(Data((e + "\n").utf8)) }
        if !report.passed { throw ExitCode(1) }
    }

    private func modelID(_ c: LineClient) throws -> Int64 {
        let r = try c.call("hello")
        guard let id = ((r.result["model"] as? [String: Any])?["id"] as? NSNumber)?.int64Value else {
            throw ReliabilityFailure(description: "hello reports no model: \(r)")
        }
        return id
    }
}
