import Foundation
import MFCore
#if canImport(Glibc)
import Glibc
import MFLineClient
#endif

/// A real `mfd` child for the reliability commands: started on a database
/// and socket in `dir`, killed or stopped, restarted on the same files.
final class RelDaemon: @unchecked Sendable {  // touched by the controlling thread only
    let binary: String
    let dir: String
    let arguments: [String]
    private(set) var process: Process?
    private(set) var starts = 0
    var database: String { dir + "/mfd.sqlite" }
    var socket: String { dir + "/s.sock" }
    var logPath: String { dir + "/mfd.log" }

    /// `dir` is created; `arguments` are added after `--db` and `--socket`.
    init(binary: String, dir: String, arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ReliabilityFailure(description: "mfd binary not found at \(binary) (build it, or pass --mfd)")
        }
        self.binary = binary
        self.dir = dir
        self.arguments = arguments
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    }

    /// A fresh directory under /tmp (short: socket paths are ≤ 107 bytes).
    static func freshDirectory(_ tag: String) -> String {
        "/tmp/mfrel-\(tag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    var pid: pid_t { process?.processIdentifier ?? 0 }
    var isRunning: Bool { process?.isRunning ?? false }

    /// Starts mfd and returns the seconds from spawn to its first successful reply
    /// (`ping`); with `untilLoaded`, returns once it has loaded its ratings (`status`
    /// without `loading`), else at that first reply, while it may still load.
    @discardableResult
    func start(timeout: Double = 600, environment: [String: String] = [:], untilLoaded: Bool = true) throws -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--db", database, "--socket", socket] + arguments
        p.environment = ["PATH": "/usr/bin:/bin", "TMPDIR": dir].merging(environment) { $1 }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        p.standardError = log
        p.standardOutput = FileHandle.nullDevice
        let t0 = DispatchTime.now()
        try p.run()
        process = p
        starts += 1
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let c = try? LineClient.connect(path: socket, timeout: max(0, deadline.timeIntervalSinceNow), alive: { p.isRunning }),
               let r = try? c.call("ping", timeout: max(0.1, deadline.timeIntervalSinceNow)), r.ok {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9
                while untilLoaded, try c.call("status", timeout: max(0.1, deadline.timeIntervalSinceNow)).result["loading"] != nil {
                    guard p.isRunning, Date() < deadline else { throw ReliabilityFailure(description: "mfd still loading after \(timeout) s") }
                    _ = poll(nil, 0, 20)
                }
                return seconds
            }
            guard p.isRunning else { throw ReliabilityFailure(description: "mfd exited during startup; log: \(logTail())") }
            guard Date() < deadline else { throw ReliabilityFailure(description: "mfd did not answer within \(timeout) s") }
            _ = poll(nil, 0, 2)
        }
    }

    /// SIGKILL and wait for the process to be gone.
    func kill9() {
        guard let p = process else { return }
        Glibc.kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// SIGTERM; the exit status, or nil (then SIGKILL) after `timeout` seconds.
    func stop(timeout: Double = 60) -> Int32? {
        guard let p = process, p.isRunning else { return process?.terminationStatus }
        Glibc.kill(p.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { _ = poll(nil, 0, 10) }
        if p.isRunning {
            kill9()
            return nil
        }
        return p.terminationReason == .exit ? p.terminationStatus : 128 + p.terminationStatus
    }

    /// Peak resident set (`VmHWM`) of the running daemon in KiB.
    func peakRSSKiB() -> Int? { Self.procStatus(pid, "VmHWM") }
    /// Current resident set (`VmRSS`) in KiB.
    func rssKiB() -> Int? { Self.procStatus(pid, "VmRSS") }

    static func procStatus(_ pid: pid_t, _ key: String) -> Int? {
        guard pid > 0, let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Int(line.dropFirst(key.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }

    func logTail(_ bytes: Int = 2000) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return String(text.suffix(bytes))
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Runs `sqlite3 -batch DB SQL` and returns its stdout lines (the daemon may be running: WAL readers are fine).
    func sqlite(_ sql: String) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", "-batch", "-separator", ",", database, sql]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw ReliabilityFailure(description: "sqlite3 failed (\(p.terminationStatus)): \(String(decoding: errData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }
}

/// Percentile (nearest rank) of unsorted samples; 0 when empty.
func percentile(_ samples: [Double], _ p: Double) -> Double {
    guard !samples.isEmpty else { return 0 }
    let s = samples.sorted()
    let rank = Int((p / 100 * Double(s.count)).rounded(.up)) - 1
    return s[min(max(rank, 0), s.count - 1)]
}

/// Prints a report as one JSON line (sorted keys).
func printReport<R: Encodable>(_ report: R) throws {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    print(String(decoding: try e.encode(report), as: UTF8.self))
}

/// The default mfd binary: beside this mfreliability executable.
func defaultMFDBinary() -> String {
    URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("mfd").path
}
