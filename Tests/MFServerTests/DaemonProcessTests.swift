import Foundation
import MFLineClient
import MFTestSupport
import Synchronization
import Testing
@testable import MFServer

/// Drives the real `mfd` binary: socket activation, notify, SIGTERM under load.
@Suite
struct DaemonProcessTests {
    private func notifyPath() -> String { "/tmp/mfdt-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).ntf" }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-socket-activate"),
                   "systemd-socket-activate is not installed"))
    func socketActivatedDaemonServesAndLeavesTheSocketFile() throws {
        let socketPath = uniqueSocketPath("act"), db = uniqueSocketPath("db") + ".sqlite"
        defer { unlink(socketPath); removeDatabase(db) }
        let notify = try NotifyReceiver(address: notifyPath())
        let child = try ChildProcess(
            "/usr/bin/systemd-socket-activate",
            ["-l", socketPath, "-E", "NOTIFY_SOCKET=\(notify.address)",
             Tools.mfd, "--socket", uniqueSocketPath("unused"), "--db", db],
            environment: ["PATH": "/usr/bin:/bin"])
        // systemd-socket-activate listens at once but starts mfd on the first connection.
        let client = try LineClient.connect(path: socketPath, timeout: 20)
        try client.send("{\"op\":\"ping\",\"id\":\"a\"}\n")
        _ = try notify.waitFor("READY=1")
        #expect(try client.readText(timeout: 10) == "{\"id\":\"a\",\"ok\":true,\"result\":{\"pong\":true}}")
        #expect(child.stderr.contains("socket=\"inherited fd 3\""))
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0, "stderr: \(child.stderr)")
        _ = try notify.waitFor("STOPPING=1")
        #expect(FileManager.default.fileExists(atPath: socketPath), "an inherited socket file must not be unlinked")
    }

    @Test func sigtermDuringLoadExitsZeroAndRemovesTheSocket() async throws {
        let socketPath = uniqueSocketPath("load"), db = uniqueSocketPath("db") + ".sqlite"
        defer { removeDatabase(db) }
        let notify = try NotifyReceiver(address: notifyPath())
        let child = try ChildProcess(
            Tools.mfd, ["--socket", socketPath, "--db", db],
            environment: ["PATH": "/usr/bin:/bin", "NOTIFY_SOCKET": notify.address, "MFD_LOG_LEVEL": "warning"])
        _ = try notify.waitFor("READY=1")
        #expect((try FileManager.default.attributesOfItem(atPath: socketPath)[.posixPermissions] as? Int) == 0o660)

        let clients = 4
        let answered = Mutex([Int](repeating: 0, count: clients))
        let bad = Mutex([String]())
        let done = DispatchGroup()
        for c in 0..<clients {
            let client = try LineClient(path: socketPath)
            done.enter()
            Thread {
                defer { done.leave() }
                let batch = (0..<32).map { "{\"op\":\"ping\",\"id\":\($0)}\n" }.joined()
                loop: while true {
                    guard (try? client.send(batch)) != nil else { break }
                    for i in 0..<32 {
                        guard let line = try? client.readText(timeout: 10) else { break loop }
                        if line != "{\"id\":\(i),\"ok\":true,\"result\":{\"pong\":true}}" {
                            bad.withLock { $0.append(line) }
                        }
                        answered.withLock { $0[c] += 1 }
                    }
                }
            }.start()
        }
        #expect(await eventually { answered.withLock { $0.allSatisfy { $0 >= 64 } } })
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0, "stderr: \(child.stderr)")
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(bad.withLock { $0 }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: socketPath))
        _ = try notify.waitFor("STOPPING=1")
    }

    @Test func databaseFilesAreOwnerOnlyUnlessTheAccessGroupOwnsThem() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let umaskBits = status.split(separator: "\n").first { $0.hasPrefix("Umask:") }
            .flatMap { mode_t($0.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8) } ?? 0o022
        for group in [nil, getegid()] {
            let socketPath = uniqueSocketPath("mode"), db = uniqueSocketPath("db") + ".sqlite"
            defer { removeDatabase(db) }
            let notify = try NotifyReceiver(address: notifyPath())
            let child = try ChildProcess(
                Tools.mfd, ["--socket", socketPath, "--db", db] + (group.map { ["--access-group", "\($0)"] } ?? []),
                environment: ["PATH": "/usr/bin:/bin", "NOTIFY_SOCKET": notify.address, "MFD_LOG_LEVEL": "warning"])
            _ = try notify.waitFor("READY=1")
            let expected: mode_t = group == nil ? 0o600 : 0o640 & ~umaskBits
            for file in [db, db + "-wal"] {
                var st = stat()
                #expect(stat(file, &st) == 0 && st.st_mode & 0o777 == expected, "\(file), access group \(String(describing: group))")
            }
            child.signal(SIGTERM)
            #expect(child.waitForExit() == 0, "stderr: \(child.stderr)")
        }
    }

    @Test func sighupIsLoggedAndServingGoesOn() async throws {
        let socketPath = uniqueSocketPath("hup"), db = uniqueSocketPath("db") + ".sqlite"
        defer { removeDatabase(db) }
        let notify = try NotifyReceiver(address: notifyPath())
        let child = try ChildProcess(Tools.mfd, ["--socket", socketPath, "--db", db],
                                     environment: ["PATH": "/usr/bin:/bin", "NOTIFY_SOCKET": notify.address])
        _ = try notify.waitFor("READY=1")
        let client = try LineClient.connect(path: socketPath, timeout: 20)
        for round in 1...2 {
            child.signal(SIGHUP)
            #expect(await eventually { child.stderr.components(separatedBy: "SIGHUP: nothing to reload").count > round },
                    "stderr: \(child.stderr)")
            try client.send("{\"op\":\"ping\",\"id\":\(round)}\n")
            #expect(try client.readText(timeout: 10) == "{\"id\":\(round),\"ok\":true,\"result\":{\"pong\":true}}")
        }
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0, "stderr: \(child.stderr)")
        #expect(!FileManager.default.fileExists(atPath: socketPath))
    }

    @Test func badConfigurationExitsWithUsageError() throws {
        let child = try ChildProcess(Tools.mfd, ["--max-line-bytes", "0", "--socket", uniqueSocketPath()],
                                     environment: ["PATH": "/usr/bin:/bin"])
        #expect(child.waitForExit() == 64)
        #expect(child.stderr.contains("--max-line-bytes"))
        let cache = try ChildProcess(Tools.mfd, ["--socket", uniqueSocketPath()],
                                     environment: ["PATH": "/usr/bin:/bin", "MFD_RECOMMEND_CACHE_MB": "-1"])
        #expect(cache.waitForExit() == 64)
        #expect(cache.stderr.contains("--recommend-cache-mb"), "\(cache.stderr)")
    }
}

/// A test database, its WAL files and its import spool directory.
private func removeDatabase(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    try? FileManager.default.removeItem(atPath: path + "-spool")  // the import spool directory
}
