import Foundation
import MFProtocol
import Testing
@testable import MFClient
#if canImport(Glibc)
import Glibc
#endif

/// A connection lost during `import_commit` is answered by asking the daemon how the import ended (`import_status`).
@Suite struct ImportReceiptTests {
    static func file() throws -> String {
        let path = "/tmp/mfc-receipt-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).csv"
        try Data("userId,movieId,rating\n1,2,3.5\n1,3,4\n".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aCommitThatLandedIsReportedAsDone() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        server.dropCommit.value = true
        server.commitLands.value = true
        let file = try Self.file()
        defer { unlink(file) }
        let client = try await MFClient.connect(path: server.path, timeout: 5)
        let result = try await client.importFile(file, kind: .ratings)
        #expect(result.value.imported == 3)
    }

    @Test func aCommitThatDidNotLandIsAnImportFailure() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        server.dropCommit.value = true
        let file = try Self.file()
        defer { unlink(file) }
        let client = try await MFClient.connect(path: server.path, timeout: 5)
        do {
            _ = try await client.importFile(file, kind: .ratings)
            Issue.record("the import must fail")
        } catch {
            guard case .daemon(let e) = error else { Issue.record("\(error)"); return }
            #expect(e.code == .importFailed && e.message.contains("did not commit"), "\(e)")
        }
    }
}
