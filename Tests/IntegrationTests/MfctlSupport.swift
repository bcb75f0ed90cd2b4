import Foundation
import MFProtocol
import MFTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One mfctl run: exit status and both outputs.
struct MfctlRun: CustomStringConvertible {
    var status: Int32
    var out: String
    var err: String
    var description: String { "exit \(status)\nstdout: \(out)\nstderr: \(err)" }
    var lines: [Substring] { out.split(separator: "\n") }

    /// stdout parsed as one JSON object (`--json`).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any] ?? [:]
    }

    /// stdout parsed as JSON lines, one object per line (`export --json`); nil if a line is not an object.
    var jsonLines: [[String: Any]]? {
        let objects = lines.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        return objects.contains { $0 == nil } ? nil : objects.compactMap { $0 }
    }
}

/// Runs `mfctl args… --socket SOCKET` (the configuration under test's mfctl; --socket is a subcommand option).
func mfctl(_ args: [String], socket: String, dir: String, timeout: Double = 120) throws -> MfctlRun {
    let child = try MfctlChild(args, socket: socket, dir: dir)
    defer { child.removeFiles() }
    return child.wait(timeout: timeout)
}

/// An mfctl run in the background (to kill or to wait for), its outputs in files in `dir`.
final class MfctlChild {
    let process = Process()
    let outPath: String, errPath: String
    private let done = DispatchSemaphore(value: 0)

    init(_ args: [String], socket: String, dir: String) throws {
        let tag = UInt32.random(in: 0...UInt32.max)
        outPath = "\(dir)/out-\(tag)"; errPath = "\(dir)/err-\(tag)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Tools.mfctl)
        // --socket goes after the subcommand path: it is a subcommand option.
        process.arguments = args + ["--socket", socket]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": dir]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [done] _ in done.signal() }
        try process.run()
    }

    deinit { if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) } }

    /// SIGKILL, and waits for the exit.
    func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        done.wait()
    }

    /// Its exit (SIGKILLed after `timeout` seconds) and outputs.
    func wait(timeout: Double = 120) -> MfctlRun {
        if done.wait(timeout: .now() + timeout) == .timedOut { kill() }
        return MfctlRun(status: process.terminationStatus,
                        out: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                        err: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    func removeFiles() {
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
}

/// A socket that accepts connections (kernel backlog) but never answers: for the timeout exit code.
final class SilentSocket {
    let fd: CInt
    let path: String

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue), 0)
        let rc = SocketPath.withAddress(path) { bind(fd, $0, $1) }
        guard rc == 0, listen(fd, 8) == 0 else { throw TestFailure("bind/listen \(path): errno \(errno)") }
    }

    deinit { close(fd); unlink(path) }
}
