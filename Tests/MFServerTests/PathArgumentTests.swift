import Foundation
import MFLineClient
import MFProtocol
import MFTestSupport
import Testing
@testable import MFServer

/// One fuzzed path argument, written for `printf` so bytes that are not UTF-8 can be passed.
struct PathArgument: Sendable, CustomTestStringConvertible {
    let label: String
    let printf: String
    /// mfd starts and serves with it; otherwise it must refuse it naming the flag.
    let accepted: Bool
    var testDescription: String { label }

    static let long = String(repeating: "a", count: 4096)
    static let common: [PathArgument] = [
        .init(label: "empty", printf: "", accepted: false),
        .init(label: ".", printf: ".", accepted: false),
        .init(label: "..", printf: "..", accepted: false),
        .init(label: "trailing slash", printf: "x/", accepted: false),
        .init(label: "root", printf: "/", accepted: false),
        .init(label: "4 KiB", printf: long, accepted: false),
        .init(label: "4 KiB of components", printf: String(repeating: "a/", count: 2047) + "z", accepted: false),
        .init(label: "not UTF-8", printf: "\\377\\376", accepted: false),
    ]
    static let databases = common + [
        .init(label: "one character", printf: "z", accepted: true),
        .init(label: "relative, new directory", printf: "d/z", accepted: true),
        .init(label: "dot-relative", printf: "./e.sqlite", accepted: true),
    ]
    static let sockets = common + [
        .init(label: "one character", printf: "s", accepted: true),
        .init(label: "relative, new directory", printf: "d/s", accepted: true),
        .init(label: "longer than sun_path", printf: String(repeating: "s", count: 120), accepted: false),
    ]
}

/// mfd and mfctl given odd path arguments: each works or exits with an error
/// naming the flag, never by a signal. Every run is in a scratch working
/// directory, which relative paths land in.
@Suite(.serialized)
struct PathArgumentTests {
    /// `sh` turns the printf text into the last argument and execs `command` in `dir`.
    private func spawn(in dir: String, _ command: [String], value: PathArgument,
                       environment: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess("/bin/sh", ["-c", "cd \"$0\" && v=$(printf \"$1\") && shift && exec \"$@\" \"$v\"",
                                     dir, value.printf] + command,
                         environment: ["PATH": "/usr/bin:/bin"].merging(environment) { $1 })
    }

    /// Starts mfd with `value` last (after `flag`): it must serve, then stop on SIGTERM
    /// with 0, or exit at once with a status and a message naming `flag`.
    private func run(mfd arguments: [String], _ flag: String, _ value: PathArgument, in dir: String,
                     socket: (String) -> String) throws {
        let notify = try NotifyReceiver(address: "/tmp/mfdt-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).ntf")
        let child = try spawn(in: dir, [Tools.mfd] + arguments + [flag], value: value,
                              environment: ["NOTIFY_SOCKET": notify.address, "MFD_LOG_LEVEL": "warning"])
        guard value.accepted else {
            let status = child.waitForExit()
            #expect(status.map { $0 != 0 && $0 < 128 } == true, "exit \(String(describing: status)); stderr: \(child.stderr)")
            #expect(child.stderr.contains(flag), "\(child.stderr)")
            return
        }
        _ = try notify.waitFor("READY=1")
        let client = try LineClient.connect(path: socket(value.printf), timeout: 20)
        try client.send("{\"op\":\"ping\",\"id\":1}\n")
        #expect(try client.readText(timeout: 10) == "{\"id\":1,\"ok\":true,\"result\":{\"pong\":true}}")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0, "stderr: \(child.stderr)")
    }

    @Test(arguments: PathArgument.databases)
    func mfdDatabasePath(_ value: PathArgument) throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socketPath = uniqueSocketPath("db")
        defer { unlink(socketPath) }
        try run(mfd: ["--socket", socketPath], "--db", value, in: dir, socket: { _ in socketPath })
        if value.accepted { #expect(FileManager.default.fileExists(atPath: PathText.appending(value.printf, to: dir))) }
    }

    @Test(arguments: PathArgument.sockets)
    func mfdSocketPath(_ value: PathArgument) throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try run(mfd: ["--db", dir + "/mfd.sqlite"], "--socket", value, in: dir,
                socket: { PathText.appending($0, to: dir) })
    }

    /// mfctl with each path as `--socket` and as the path operand of import,
    /// import-model and export: no daemon listens, so each ends in a usage
    /// error (2) or "unreachable" (3), with a message.
    @Test(arguments: PathArgument.sockets + PathArgument.databases)
    func mfctlPaths(_ value: PathArgument) throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let absent = dir + "/absent.sock"
        let commands: [[String]] = [
            ["ping", "--socket"],
            ["import", "--socket", absent, "ratings"],
            ["import-model", "--socket", absent],
            ["export", "--socket", absent, "factors"],
        ]
        for command in commands {
            let child = try spawn(in: dir, [Tools.mfctl] + command, value: value)
            let status = child.waitForExit()
            #expect(status == 2 || status == 3, "mfctl \(command): exit \(String(describing: status)); stderr: \(child.stderr)")
            #expect(!child.stderr.isEmpty, "mfctl \(command)")
            if command == ["ping", "--socket"] {
                #expect(child.stderr.contains("--socket") || child.stderr.contains("cannot connect to"), "\(child.stderr)")
            }
        }
    }
}
