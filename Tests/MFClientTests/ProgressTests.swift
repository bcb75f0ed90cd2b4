import Foundation
import MFProtocol
import Synchronization
import Testing
@testable import MFClient
#if canImport(Glibc)
import Glibc
#endif

/// The client's timeout is the longest silence: progress lines keep a long commit alive,
/// and silence during it names the import that goes on in mfd.
@Suite struct ClientProgressTests {
    @Test func aCommitLongerThanTheTimeoutSucceedsWhileProgressArrives() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        server.slowCommit.value = true
        let file = try ImportReceiptTests.file()
        defer { unlink(file) }
        // 20 lines 0.1 s apart: 2 s in all, twice the timeout, never 1 s of silence.
        let client = try await MFClient.connect(path: server.path, timeout: 1)
        let seen = Mutex<[ProgressReport]>([])
        let result = try await client.importFile(file, kind: .ratings) { p in seen.withLock { $0.append(p) } }
        #expect(result.value.imported == 3)
        let commit = seen.withLock { $0.filter { $0.stage == "write" } }
        #expect(commit.count == 20 && commit.allSatisfy { $0.import == "imp-1" }, "\(commit)")
        await client.close()
    }

    @Test func silenceDuringTheCommitIsUnsettledAndNamesTheImport() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        server.silentCommit.value = true
        let file = try ImportReceiptTests.file()
        defer { unlink(file) }
        let client = try await MFClient.connect(path: server.path, timeout: 0.5)
        do {
            _ = try await client.importFile(file, kind: .ratings)
            Issue.record("a silent daemon must time out")
        } catch {
            #expect(error == .unsettled(job: "imp-1", cause: .timeout(seconds: 0.5)), "\(error)")
            #expect(error.exitCode == ExitCode.timeout && error.description.contains("mfctl job imp-1"), "\(error)")
        }
    }
}
