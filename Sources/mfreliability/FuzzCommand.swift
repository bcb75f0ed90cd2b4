import ArgumentParser
import Foundation
import Synchronization

/// `mfreliability fuzz`: generated hostile lines through the real daemon's socket.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Send generated hostile request lines to a real mfd; check replies, liveness, RSS and stored data.",
        discussion: """
        Inputs: random bytes, truncated JSON, deep nesting, huge/NaN/Infinity numbers, wrong \
        types, unknown ops, invalid UTF-8, object ids, oversized batches, blank lines and \
        --huge-bytes lines. Lines go in batches followed by a sentinel ping, so every \
        non-blank line must get exactly one well-formed reply (a known error code); a line \
        over the limit must get line_too_long and a close. Writes always carry a defect, so \
        the database's change sequence and rating checksum must be unchanged. Peak RSS is \
        the daemon's VmHWM.
        """)

    @Option(help: "mfd binary (default: beside mfreliability).")
    var mfd: String?
    @Option(help: "Generated inputs in total.")
    var inputs = 100_000
    @Option(help: "Parallel connections.")
    var connections = 4
    @Option(help: "Every N-th input of a connection is a huge line (0 = none).")
    var hugeEvery = 5_000
    @Option(help: "Size of a huge line in bytes.")
    var hugeBytes = 10_000_000
    @Option(help: "Inputs per batch before the sentinel.")
    var batch = 32
    @Option(help: "Seed.")
    var seed: UInt64 = 7
    @Option(help: "Fail when the daemon's peak RSS exceeds this many MiB.")
    var maxRssMib = 1024
    @Flag(help: "Keep the database directory.")
    var keep = false

    struct Report: Encodable {
        var inputs, replies, blank_lines, huge_lines, huge_answered, huge_closed_silently: Int
        var unanswered, extra_replies, malformed_replies, unexpected_closes, writes_acknowledged, crashes: Int
        var by_kind: [String: Int]
        var by_code: [String: Int]
        var rss_start_kib, peak_rss_kib: Int
        var data_unchanged: Bool
        var seconds: Double
        var passed: Bool
    }

    func run() throws {
        let daemon = try RelDaemon(binary: mfd ?? defaultMFDBinary(), dir: RelDaemon.freshDirectory("fuzz"),
                                   arguments: ["--demo", "--retrain", "manual", "--factors", "8", "--iterations", "3",
                                               "--max-batch", "1000", "--log-level", "error"])
        defer { if daemon.isRunning { daemon.kill9() }; if !keep { daemon.remove() } }
        try daemon.start()
        let rssStart = daemon.rssKiB() ?? 0
        let before = try FuzzChecksum(daemon)
        let tally = LockedBox(FuzzTally())
        let group = DispatchGroup()
        let t0 = Date()
        let share = (inputs + connections - 1) / connections
        for k in 0..<connections {
            let n = min(share, inputs - k * share)
            guard n > 0 else { continue }
            group.enter()
            let gen = FuzzGenerator(seed: seed &+ UInt64(k) &* 1_000_003, hugeLineBytes: hugeBytes, hugeEvery: hugeEvery, maxBatch: 1000)
            let socket = daemon.socket, batch = self.batch
            Thread {
                defer { group.leave() }
                var runner = FuzzRunner(socket: socket, generator: gen, batch: batch)
                runner.run(inputs: n)
                tally.withLock { $0.merge(runner.tally) }
            }.start()
        }
        group.wait()
        let seconds = Date().timeIntervalSince(t0)
        var t = tally.withLock { $0 }
        if !daemon.isRunning { t.crashes += 1 }
        let peak = daemon.peakRSSKiB() ?? 0
        let after = daemon.isRunning ? try FuzzChecksum(daemon) : nil
        let status = daemon.stop()
        if status != 0 { t.crashes += 1 }
        let unchanged = after == before
        let report = Report(
            inputs: t.inputs, replies: t.replies, blank_lines: t.blank, huge_lines: t.huge, huge_answered: t.hugeAnswered,
            huge_closed_silently: t.hugeSilent, unanswered: t.unanswered, extra_replies: t.extra, malformed_replies: t.malformed,
            unexpected_closes: t.unexpectedCloses, writes_acknowledged: t.writesAcked, crashes: t.crashes,
            by_kind: t.byKind, by_code: t.byCode, rss_start_kib: rssStart, peak_rss_kib: peak, data_unchanged: unchanged,
            seconds: seconds,
            passed: t.unanswered == 0 && t.extra == 0 && t.malformed == 0 && t.unexpectedCloses == 0 && t.writesAcked == 0
                && t.crashes == 0 && unchanged && peak <= maxRssMib * 1024 && t.inputs == inputs)
        try printReport(report)
        for p in t.problems.prefix(20) { FileHandle.standardError.write(Data((p + "\n").utf8)) }
        if !unchanged { FileHandle.standardError.write(Data("stored data changed: \(before) -> \(after.map { "\($0)" } ?? "daemon gone")\n".utf8)) }
        if !report.passed { throw ExitCode(1) }
    }
}

/// The stored state an invalid request must not change.
struct FuzzChecksum: Equatable, CustomStringConvertible {
    let rows: [String]
    init(_ daemon: RelDaemon) throws {
        rows = try daemon.sqlite("""
            SELECT value FROM change_sequence;
            SELECT count(*), total(user), total(item), total(rating), total(user * 31 + item * 17 * rating), total(ts) FROM ratings;
            SELECT count(*), total(id) FROM users; SELECT count(*), total(id) FROM items;
            SELECT count(*) FROM user_attributes; SELECT count(*) FROM item_attributes;
            """)
    }
    var description: String { rows.joined(separator: " | ") }
}
