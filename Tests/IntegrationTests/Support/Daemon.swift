import Foundation
import MFLineClient
#if canImport(Glibc)
import Glibc
#endif

/// The package root, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
/// The debug mfd binary `swift build` produces.
let mfdBinary = packageRoot.appendingPathComponent(".build/debug/mfd").path
let mfdBuilt = FileManager.default.isExecutableFile(atPath: mfdBinary)
/// MovieLens (never copied into the project), beside the package root.
let movieLensSmall = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/ml-latest-small-2016").path
let movieLensPresent = FileManager.default.fileExists(atPath: movieLensSmall + "/ratings.csv")

/// A temp directory holding one database and socket for a test.
struct DaemonDirectory {
    let path: String
    var database: String { path + "/mfd.sqlite" }
    var socket: String { path + "/s.sock" }

    init() throws {
        path = "/tmp/mfdi-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A running `mfd` child: started in `dir`, ready once its socket accepts.
final class Daemon: @unchecked Sendable {  // the Process is only touched from the test's thread
    let process = Process()
    let dir: DaemonDirectory
    let logPath: String
    private let exited = DispatchSemaphore(value: 0)

    /// Small, fast training for tests: few factors and iterations.
    static let fastTraining = ["--factors", "8", "--iterations", "3"]

    init(dir: DaemonDirectory, _ arguments: [String]) throws {
        self.dir = dir
        logPath = dir.path + "/mfd-\(UInt32.random(in: 0...UInt32.max)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: mfdBinary)
        process.arguments = ["--db", dir.database, "--socket", dir.socket] + arguments
        process.environment = ["PATH": "/usr/bin:/bin", "TMPDIR": dir.path]
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = FileHandle.nullDevice
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// A connection, once the daemon accepts and (the first time) has loaded its
    /// ratings: it answers at once after a start and reports `loading` in
    /// `status` until then. The wait uses a connection of its own, so the one
    /// returned has read nothing (a refused one still holds its refusal).
    func connect(timeout: Double = 300) throws -> LineClient {
        if !loaded {
            let deadline = Date().addingTimeInterval(timeout)
            let probe = try LineClient.connect(path: dir.socket, timeout: timeout, alive: { process.isRunning })
            while try probe.call("status", timeout: max(0.1, deadline.timeIntervalSinceNow)).result["loading"] != nil {
                guard Date() < deadline, process.isRunning else { throw LineClientError(.badReply, "mfd still loading after \(timeout) s") }
                _ = poll(nil, 0, 20)  // poll interval, bounded by the deadline
            }
            loaded = true
        }
        return try LineClient.connect(path: dir.socket, timeout: timeout, alive: { process.isRunning })
    }

    /// Whether `connect` has seen the daemon loaded.
    private var loaded = false

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// SIGTERM, then the exit status (nil if it did not exit within `timeout`; then SIGKILL).
    func stop(timeout: Double = 60) -> Int32? {
        signal(SIGTERM)
        return waitForExit(timeout: timeout)
    }

    func waitForExit(timeout: Double = 60) -> Int32? {
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }
}
