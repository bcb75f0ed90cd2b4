import Foundation
import MFLineClient
#if canImport(Glibc)
import Glibc
#endif

/// A child process: the one way the tests start programs.
///
/// stdout and stderr go to files (no pipe can fill up and block the child),
/// readable at any time; with `streamingStdout` stdout is a socket instead,
/// read line by line with a deadline. Every wait has a deadline; a child
/// still running when this is released is SIGKILLed.
public final class ChildProcess: @unchecked Sendable {  // used from one test's thread
    private let process = Process()
    private let exited = DispatchSemaphore(value: 0)
    private let stdoutPath: String, stderrPath: String
    private let stdoutLines: LineClient?

    /// `directory`: the child's working directory (default: the test's).
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = ["PATH": "/usr/bin:/bin"],
                directory: String? = nil, streamingStdout: Bool = false) throws {
        let base = "/tmp/mfdt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        stdoutPath = base + ".stdout"
        stderrPath = base + ".stderr"
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        var childEnd: FileHandle?
        if streamingStdout {
            var fds: [CInt] = [0, 0]
            guard socketpair(AF_UNIX, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
                throw TestFailure("socketpair: errno \(errno)")
            }
            stdoutLines = LineClient(descriptor: fds[0])
            childEnd = FileHandle(fileDescriptor: fds[1], closeOnDealloc: true)
            process.standardOutput = childEnd
        } else {
            stdoutLines = nil
            _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        }
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
        try childEnd?.close()  // the child has its copy: its exit ends the stream
    }

    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        unlink(stdoutPath)
        unlink(stderrPath)
    }

    public var pid: pid_t { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// With `streamingStdout`: the next line, or nil once the child closed stdout (exited).
    public func stdoutLine(timeout: Double) throws -> String? {
        guard let stdoutLines else { throw TestFailure("stdout is not streamed") }
        return try stdoutLines.readText(timeout: timeout)
    }

    public func signal(_ sig: Int32) { Glibc.kill(process.processIdentifier, sig) }

    /// The exit status (128 + N after signal N), or nil, after SIGKILL, if it did not exit within `timeout`.
    public func waitForExit(timeout: Double = 60) -> Int32? {
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            Glibc.kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }

    /// SIGKILL and wait for the exit.
    public func kill() {
        signal(SIGKILL)
        exited.wait()
    }

    /// What `run` returns.
    public struct Output: CustomStringConvertible, Sendable {
        /// Exit status (128 + N after signal N); -1 when it ran past its timeout and was killed.
        public let status: Int32
        public let stdout: String, stderr: String
        public var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr.suffix(3000))" }
    }

    /// Runs a program to its end (SIGKILL after `timeout` seconds).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = ["PATH": "/usr/bin:/bin"],
                           directory: String? = nil, timeout: Double = 120) throws -> Output {
        let child = try ChildProcess(executable, arguments, environment: environment, directory: directory)
        let status = child.waitForExit(timeout: timeout) ?? -1
        return Output(status: status, stdout: child.stdout, stderr: child.stderr)
    }
}
