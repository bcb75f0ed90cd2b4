import Foundation
import MFLineClient
import MFTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A temp directory holding one database and socket for a test.
struct DaemonDirectory {
    let path: String
    var database: String { path + "/mfd.sqlite" }
    var socket: String { path + "/s.sock" }

    init() throws { path = try scratchDirectory("i") }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A running `mfd` child (the binary of the configuration under test): started
/// in `dir`, ready once its socket accepts.
final class Daemon: @unchecked Sendable {  // only touched from the test's thread
    let child: ChildProcess
    let dir: DaemonDirectory

    /// Small, fast training for tests: few factors and iterations.
    static let fastTraining = ["--factors", "8", "--iterations", "3"]

    /// `environment` adds to the child's (e.g. the test-only `MFD_TEST_DELAYS`).
    init(dir: DaemonDirectory, _ arguments: [String], environment: [String: String] = [:]) throws {
        self.dir = dir
        child = try ChildProcess(Tools.mfd, ["--db", dir.database, "--socket", dir.socket] + arguments,
                                 environment: ["PATH": "/usr/bin:/bin", "TMPDIR": dir.path].merging(environment) { $1 })
    }

    var pid: pid_t { child.pid }
    /// Everything mfd logged (stderr).
    var log: String { child.stderr }

    /// A connection, once the daemon accepts and (the first time) has loaded its
    /// ratings: it answers at once after a start and reports `loading` in
    /// `status` until then. The wait uses a connection of its own, so the one
    /// returned has read nothing (a refused one still holds its refusal).
    func connect(timeout: Double = 300) throws -> LineClient {
        if !loaded {
            let deadline = Date().addingTimeInterval(timeout)
            let probe = try LineClient.connect(path: dir.socket, timeout: timeout, alive: { child.isRunning })
            while try probe.call("status", timeout: max(0.1, deadline.timeIntervalSinceNow)).result["loading"] != nil {
                guard Date() < deadline, child.isRunning else { throw TestFailure("mfd still loading after \(timeout) s") }
                _ = poll(nil, 0, 20)  // poll interval, bounded by the deadline
            }
            loaded = true
        }
        return try LineClient.connect(path: dir.socket, timeout: timeout, alive: { child.isRunning })
    }

    /// Whether `connect` has seen the daemon loaded.
    private var loaded = false

    func signal(_ sig: Int32) { child.signal(sig) }

    /// SIGTERM, then the exit status (nil if it did not exit within `timeout`; then SIGKILL).
    func stop(timeout: Double = 60) -> Int32? {
        signal(SIGTERM)
        return waitForExit(timeout: timeout)
    }

    func waitForExit(timeout: Double = 60) -> Int32? { child.waitForExit(timeout: timeout) }
}
