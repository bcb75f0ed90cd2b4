import Foundation
import MFTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Runs `mfreliability store-writer` (the configuration under test's) as a
/// child, reads its stdout lines and SIGKILLs it.
enum CrashChildProcess {
    /// When the parent sends SIGKILL, counted in the child's stdout lines.
    enum KillPoint: Sendable, CustomStringConvertible {
        /// After this many lines of any kind.
        case afterLines(Int)
        /// After this many "progress" lines: inside the import transaction.
        case afterProgress(Int)
        /// After this many "ack" lines following "ack-import": the import committed.
        case afterAcksFollowingImport(Int)

        func reached(_ lines: [String]) -> Bool {
            switch self {
            case .afterLines(let n):
                return lines.count >= n
            case .afterProgress(let n):
                return lines.count { $0.hasPrefix("progress ") } >= n
            case .afterAcksFollowingImport(let n):
                guard let imported = lines.firstIndex(where: { $0.hasPrefix("ack-import") }) else { return false }
                return lines[imported...].count { $0.hasPrefix("ack ") } >= n
            }
        }

        var description: String {
            switch self {
            case .afterLines(let n): "after \(n) lines"
            case .afterProgress(let n): "after \(n) progress reports"
            case .afterAcksFollowingImport(let n): "after the import and \(n) acks"
            }
        }
    }

    /// Starts the child, reads its stdout lines until `killAt` is reached (or a 60 s
    /// deadline), SIGKILLs it and returns the lines read. Blocking: call it off the
    /// cooperative pool.
    static func runAndKill(arguments: [String], killAt: KillPoint) throws -> [String] {
        let child = try ChildProcess(Tools.mfreliability, arguments, streamingStdout: true)
        defer { child.kill() }
        var lines: [String] = []
        while !killAt.reached(lines) {
            guard let line = try child.stdoutLine(timeout: 60) else {
                throw TestFailure("child exited after \(lines.count) lines: \(child.stderr)")
            }
            lines.append(line)
        }
        return lines
    }
}

/// Runs blocking work on its own thread so it does not occupy a cooperative-pool thread.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
