import Foundation
import MFLineClient
import MFProtocol
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The debug mfctl binary `swift build` produces.
let mfctlBinary = packageRoot.appendingPathComponent(".build/debug/mfctl").path
let mfctlBuilt = FileManager.default.isExecutableFile(atPath: mfctlBinary) && mfdBuilt

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

/// Runs `mfctl --socket SOCKET args…` with outputs captured to files (no pipe deadlocks).
func mfctl(_ args: [String], socket: String, dir: String, timeout: Double = 120) throws -> MfctlRun {
    let tag = UInt32.random(in: 0...UInt32.max)
    let outPath = "\(dir)/out-\(tag)", errPath = "\(dir)/err-\(tag)"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: outPath); try? FileManager.default.removeItem(atPath: errPath) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: mfctlBinary)
    // --socket goes after the subcommand path: it is a subcommand option.
    p.arguments = args + ["--socket", socket]
    p.environment = ["PATH": "/usr/bin:/bin", "HOME": dir]
    p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    p.standardInput = FileHandle.nullDevice
    let done = DispatchSemaphore(value: 0)
    p.terminationHandler = { _ in done.signal() }
    try p.run()
    if done.wait(timeout: .now() + timeout) == .timedOut {
        kill(p.processIdentifier, SIGKILL)
        done.wait()
    }
    return MfctlRun(status: p.terminationStatus,
                    out: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                    err: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}

/// A socket that accepts connections (kernel backlog) but never answers: for the timeout exit code.
final class SilentSocket {
    let fd: CInt
    let path: String

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue), 0)
        let rc = SocketPath.withAddress(path) { bind(fd, $0, $1) }
        guard rc == 0, listen(fd, 8) == 0 else { throw LineClientError(.badReply, "bind/listen \(path): errno \(errno)") }
    }

    deinit { close(fd); unlink(path) }
}
