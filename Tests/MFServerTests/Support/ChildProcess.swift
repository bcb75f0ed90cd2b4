import Foundation

/// The package root, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
/// The debug mfd binary that `swift build` / `swift test` produce.
let mfdBinary = packageRoot.appendingPathComponent(".build/debug/mfd").path
let mfdBinaryBuilt = FileManager.default.isExecutableFile(atPath: mfdBinary)

/// A child process with a bounded wait for its exit; stderr goes to a temp file.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let stderrPath: String
    private let exited = DispatchSemaphore(value: 0)

    init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        stderrPath = "/tmp/mfdt-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).stderr"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardOutput = FileHandle.nullDevice
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        unlink(stderrPath)
    }

    var pid: pid_t { process.processIdentifier }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// The exit status, or nil (after SIGKILL) if it did not exit within `timeout`.
    func waitForExit(timeout: Double = 30) -> Int32? {
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }
}
