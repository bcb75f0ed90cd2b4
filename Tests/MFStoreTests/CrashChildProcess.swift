import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs `mfreliability store-writer` as a child, reads its stdout lines and SIGKILLs it.
struct CrashChildProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `mfreliability`, built next to the test bundle (MFStoreTests depends on it).
    static func toolPath() throws -> String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mfreliability").path,
            packageRoot.appendingPathComponent(".build/debug/mfreliability").path,
        ]
        guard let path = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw Failure(description: "mfreliability not found in \(candidates); run `swift build --build-tests`")
        }
        return path
    }

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
    static func runAndKill(tool: String, arguments: [String], killAt: KillPoint, stderrPath: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let fd = out.fileHandleForReading.fileDescriptor
        var pending: [UInt8] = []
        var lines: [String] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(60)
        while !killAt.reached(lines) {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard poll(&pfd, 1, remaining) > 0 else {
                throw Failure(description: "child produced \(lines.count) lines, then nothing for 60 s")
            }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                let err = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
                throw Failure(description: "child exited after \(lines.count) lines: \(err)")
            }
            pending.append(contentsOf: buffer[0..<n])
            while let nl = pending.firstIndex(of: 0x0A) {
                lines.append(String(decoding: pending[..<nl], as: UTF8.self))
                pending.removeSubrange(...nl)
            }
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
