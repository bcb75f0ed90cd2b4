import Foundation
import MFProtocol
import Testing
@testable import MFClient

@Suite struct MFClientTests {
    init() { signal(SIGPIPE, SIG_IGN) }

    @Test func typedRoundTrip() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let client = try await MFClient.connect(path: server.path, timeout: 5)
        #expect(try await client.send(PingRequest()) == PingResult())
        let r = try await client.send(RecommendRequest(user: 42, n: 3))
        #expect(r.items.map(\.item) == [1, 2, 3])
        #expect(r.items[0].title == "Movie 42-0")
        await client.close()
    }

    @Test func pipelinedConcurrentRequestsMatchInOrder() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let client = try await MFClient.connect(path: server.path, timeout: 10)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for user in Int64(1)...200 {
                group.addTask {
                    let r = try await client.send(RecommendRequest(user: user, n: 2))
                    #expect(r.user == user)
                    #expect(r.items[1].title == "Movie \(user)-1")
                }
            }
            try await group.waitForAll()
        }
        await client.close()
    }

    @Test func daemonErrorCarriesCode() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let client = try await MFClient.connect(path: server.path, timeout: 5)
        await #expect(throws: MFClientError.daemon(WireError(.unknownUser, "no such user", field: "user"))) {
            try await client.send(RecommendRequest(user: 404))
        }
        // The connection stays usable after an error.
        #expect(try await client.send(PingRequest()).pong)
        let raw = try await client.sendRaw(RecommendRequest(user: 7, n: 1))
        guard case .success(let bytes) = raw.outcome else { Issue.record("expected success"); return }
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix(#"{"user":7,"items":[{"item":1"#))
        await client.close()
    }

    @Test func timeoutClosesAndReports() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let client = try await MFClient.connect(path: server.path, timeout: 0.3)
        await #expect(throws: MFClientError.timeout(seconds: 0.3)) { try await client.send(TrainRequest(wait: true)) }
        await #expect(throws: MFClientError.self) { try await client.send(PingRequest()) }
    }

    @Test func unreachableCarriesErrnoText() async throws {
        let path = "/tmp/mfc-missing-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        do {
            _ = try await MFClient.connect(path: path, timeout: 2)
            Issue.record("connected to a missing socket")
        } catch {
            #expect(error == .unreachable(path: path, reason: "No such file or directory"))
            #expect(error.exitCode == 3)
            #expect(error.description == "cannot connect to \(path) (No such file or directory): is mfd running? try `systemctl status mfd`")
        }
    }

    @Test func importStreamsWholeFileInChunks() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let file = "/tmp/mfc-import-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).csv"
        defer { unlink(file) }
        var text = "userId,movieId,rating,timestamp\n"
        for i in 0..<30_000 { text += "\(i % 700),\(i),3.5,1260759144\n" }
        var bytes = Array(text.utf8)
        bytes += [0xE9, 0x74, 0xE9, 0x0A]  // a Latin-1 line: goes as base64
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let client = try await MFClient.connect(path: server.path, timeout: 10)
        let calls = ProgressLog()
        let result = try await client.importFile(file, kind: .ratings) { p in if p.stage == "upload" { calls.add(p.done, p.total) } }
        #expect(server.importedBytes == bytes)
        #expect(result.lines == 30_002)
        // The result's bytes come back unchanged, with the field ImportCommitResult does not decode.
        let json = String(decoding: result.json, as: UTF8.self)
        #expect(json.hasPrefix(#"{"kind":"ratings""#) && json.hasSuffix(#","future_field":[1,2]}"#), "\(json)")
        #expect(calls.count > 4)
        let last = try #require(calls.last)
        #expect(last.0 == Int64(bytes.count) && last.1 == Int64(bytes.count))
        await client.close()
    }

    @Test func missingImportFileIsLocalError() async throws {
        let server = try FakeServer()
        defer { server.stop() }
        let client = try await MFClient.connect(path: server.path, timeout: 5)
        await #expect(throws: MFClientError.localFile(path: "/nonexistent/x.csv", reason: "No such file or directory")) {
            try await client.importFile("/nonexistent/x.csv", kind: .ratings)
        }
    }
}

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [(Int64, Int64)] = []
    func add(_ a: Int64, _ b: Int64) { lock.withLock { calls.append((a, b)) } }
    var count: Int { lock.withLock { calls.count } }
    var last: (Int64, Int64)? { lock.withLock { calls.last } }
}
