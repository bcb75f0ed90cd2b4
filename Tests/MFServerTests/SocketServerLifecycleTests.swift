import Foundation
import MFLineClient
import MFTestSupport
import NIOCore
import Testing
@testable import MFServer

@Suite struct SocketServerLifecycleTests {
    @Test func socketFileHasMode0660AndIsRemovedOnShutdown() async throws {
        let path = uniqueSocketPath()
        let server = try await SocketServer.start(source: .path(path), handler: GatedHandler(), logger: testLogger)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o660)
        await server.shutdown()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func staleSocketIsReplacedButLiveOrForeignFilesAreNot() async throws {
        // A stale socket: bound, then closed without unlinking.
        let stale = uniqueSocketPath("stale")
        let fd = try ListenSocket.bindListening(path: stale, mode: 0o600)
        close(fd)
        let server = try await SocketServer.start(source: .path(stale), handler: GatedHandler(), logger: testLogger)
        // The live one must not be taken over.
        await #expect(throws: MFServerError.socketInUse(stale)) {
            _ = try await SocketServer.start(source: .path(stale), handler: GatedHandler(), logger: testLogger)
        }
        let client = try LineClient(path: stale)
        try client.send("now:x\n")
        #expect(try client.readText(timeout: 10) == "r:now:x")
        await server.shutdown()

        let regular = uniqueSocketPath("file")
        _ = FileManager.default.createFile(atPath: regular, contents: Data("keep".utf8))
        defer { unlink(regular) }
        await #expect(throws: MFServerError.socketPathOccupied(regular)) {
            _ = try await SocketServer.start(source: .path(regular), handler: GatedHandler(), logger: testLogger)
        }
        #expect(FileManager.default.contents(atPath: regular) == Data("keep".utf8))
    }

    @Test func inheritedSocketIsServedAndNeverUnlinked() async throws {
        let path = uniqueSocketPath("inh")
        let fd = try ListenSocket.bindListening(path: path, mode: 0o600)
        defer { unlink(path) }
        let server = try await SocketServer.start(source: .inherited(fd: fd), handler: GatedHandler(), logger: testLogger)
        let client = try LineClient(path: path)
        try client.send("now:inherited\n")
        #expect(try client.readText(timeout: 10) == "r:now:inherited")
        await server.shutdown()
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func shutdownFinishesInFlightRequestsThenCloses() async throws {
        let handler = GatedHandler()
        let path = uniqueSocketPath()
        // The default 2 s grace period could run out before this test completes the
        // slow request when the whole suite loads both cores; ordering is the point here.
        var config = SocketServerConfiguration()
        config.shutdownGracePeriod = .seconds(120)
        let server = try await SocketServer.start(source: .path(path), configuration: config, handler: handler, logger: testLogger)
        let client = try LineClient(path: path)
        try client.send("later:slow\nnow:after\n")
        try handler.waitForPending(1)
        let stopping = Task { await server.shutdown() }
        // The listener closes first: new connections are refused while the old one drains.
        #expect(await eventually { (try? LineClient(path: path)) == nil })
        handler.complete("later:slow")
        #expect(try client.readUntilClosed() == ["r:later:slow", "r:now:after"])
        await stopping.value
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func peerCredentialsAreOurs() async throws {
        try await withTestServer(handler: PeerEchoHandler()) { _, path in
            let client = try LineClient(path: path)
            try client.send("who\n")
            let fields = try #require(try client.readText(timeout: 10)).split(separator: " ").map(String.init)
            #expect(fields[0] == "\(getpid())")
            #expect(fields[1] == "\(getuid())")
            #expect(fields[2] == "\(getgid())")
        }
    }

    @Test func supplementaryGroupsComeFromProc() throws {
        let count = getgroups(0, nil)
        var expected = [gid_t](repeating: 0, count: Int(count))
        _ = getgroups(count, &expected)
        let groups = PeerCredentials.supplementaryGroups(ofPID: getpid(), expectedUID: getuid())
        #expect(Set(groups) == Set(expected))
        #expect(PeerCredentials.supplementaryGroups(ofPID: getpid(), expectedUID: getuid() &+ 1).isEmpty)
    }

    @Test func procStatusParsingChecksTheUid() {
        let text = "Name:\tx\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\nGroups:\t4 24 27 \n"
        #expect(PeerCredentials.parseProcStatusGroups(text, expectedUID: 1000) == [4, 24, 27])
        #expect(PeerCredentials.parseProcStatusGroups(text, expectedUID: 0) == nil)
        #expect(PeerCredentials.parseProcStatusGroups("Uid:\t5\t5\t5\t5\nGroups:\n", expectedUID: 5) == [])
    }
}
