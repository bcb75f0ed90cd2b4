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
    let r = try ChildProcess.run(Tools.mfctl, args + ["--socket", socket], environment: ["PATH": "/usr/bin:/bin", "HOME": dir],
                                 timeout: timeout)
    return MfctlRun(status: r.status, out: r.stdout, err: r.stderr)
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
