import ArgumentParser
import Foundation
import MFClient
import MFCtlKit
import MFProtocol

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Socket path (default: $MFD_SOCKET, /run/mfd/mfd.sock if present, else mfd's hand-run default).")
    var socket: String?

    @Flag(name: .long, help: "Print the daemon's result object unchanged, as JSON.")
    var json = false

    @Option(name: .long, help: "Seconds mfd may stay silent (no answer, no progress) before mfctl gives up.")
    var timeout: Double = 30

    func validate() throws {
        guard let socket else { return }
        guard !socket.isEmpty else { throw ValidationError("--socket: must not be empty") }
        guard socket.utf8.count <= SocketPath.maxPathBytes else {
            throw ValidationError("--socket: is \(socket.utf8.count) bytes long; a Unix socket path may have at most \(SocketPath.maxPathBytes)")
        }
    }

    var socketPath: String {
        SocketPath.clientResolve(explicit: socket, environment: ProcessInfo.processInfo.environment,
                                 uid: getuid(), exists: { FileManager.default.fileExists(atPath: $0) })
    }

    /// Connects, runs `body`, and maps client errors to messages and exit codes.
    func withClient<T>(_ body: (MFClient) async throws(MFClientError) -> T) async throws -> T {
        do throws(MFClientError) {
            let client = try await MFClient.connect(path: socketPath, timeout: timeout)
            let value = try await body(client)
            await client.close()
            return value
        } catch {
            FileHandle.standardError.write(Data("mfctl: \(error.description)\n".utf8))
            throw CtlExit(code: error.exitCode)
        }
    }

    /// Sends one op; prints the raw result with `--json`, else `human(result)`.
    /// With `progress`, the op asks for progress lines and each goes to it.
    func run<O: WireOperation>(_ op: O, progress: (@Sendable (ProgressReport) -> Void)? = nil,
                               human: (O.Result) -> String) async throws {
        let line = try await withClient { client throws(MFClientError) in try await client.sendRaw(op, progress: progress) }
        switch line.outcome {
        case .failure(let e):
            FileHandle.standardError.write(Data("mfctl: \(MFClientError.daemon(e).description)\n".utf8))
            throw CtlExit(code: e.code.exitCode)
        case .success(let bytes):
            if json { return printJSON(bytes) }
            do {
                let text = human(try line.result(O.Result.self))
                if !text.isEmpty { print(text) }
            } catch {
                FileHandle.standardError.write(Data("mfctl: \(error)\n".utf8))
                throw CtlExit(code: MFProtocol.ExitCode.daemonError)
            }
        }
    }
}

/// Writes a daemon result's JSON bytes unchanged, as one line (`--json`).
func printJSON(_ bytes: [UInt8]) {
    FileHandle.standardOutput.write(Data(bytes + [10]))
}

/// Runs a local argument check, turning its `UsageError` into ArgumentParser's usage error (exit 2).
func usage<T>(_ body: () throws(UsageError) -> T) throws -> T {
    do { return try body() } catch { throw ValidationError(error.description) }
}
