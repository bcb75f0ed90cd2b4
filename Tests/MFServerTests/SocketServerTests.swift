import Foundation
import MFLineClient
import MFTestSupport
import NIOCore
import Testing
@testable import MFServer

@Suite struct SocketServerOrderingTests {
    @Test func pipelinedRepliesKeepRequestOrderWhenCompletedOutOfOrder() async throws {
        let handler = GatedHandler()
        try await withTestServer(handler: handler) { _, path in
            let client = try LineClient(path: path)
            try client.send("later:1\nnow:2\nlater:3\nnow:4\n")
            try handler.waitForPending(2)
            handler.complete("later:3")
            handler.complete("later:1")
            let replies = try (0..<4).map { _ in try client.readText(timeout: 10) }
            #expect(replies == ["r:later:1", "r:now:2", "r:later:3", "r:now:4"])
        }
    }

    @Test func manyPipelinedRequestsInOneWrite() async throws {
        try await withTestServer(handler: GatedHandler()) { server, path in
            let client = try LineClient(path: path)
            let count = 5000
            try client.send((0..<count).map { "now:\($0)\n" }.joined())
            for i in 0..<count {
                #expect(try client.readText(timeout: 10) == "r:now:\(i)")
            }
            #expect(server.stats.requests == count)
        }
    }

    @Test func halfClosingClientStillGetsEveryReplyIncludingAnUnterminatedLastLine() async throws {
        let handler = GatedHandler()
        try await withTestServer(handler: handler) { _, path in
            let client = try LineClient(path: path)
            try client.send("now:a\nlater:b\nnow:c")  // like `printf ... | socat`
            client.shutdownWrite()
            try handler.waitForPending(1)
            handler.complete("later:b")
            #expect(try client.readUntilClosed() == ["r:now:a", "r:later:b", "r:now:c"])
        }
    }
}

@Suite struct SocketServerConnectionTests {
    @Test func theHandlerHearsOnceThatAConnectionClosedWithTheContextOfItsLines() async throws {
        let handler = ConnectionCloseRecorder()
        try await withTestServer(handler: handler) { _, path in
            var leaving: LineClient? = try LineClient(path: path)
            let staying = try LineClient(path: path)
            try leaving?.send("hi\n")
            try staying.send("hi\n")
            let id = try #require(UInt64(try leaving?.readText(timeout: 10) ?? ""))
            let other = try #require(UInt64(try staying.readText(timeout: 10) ?? ""))
            #expect(id != other)
            #expect(handler.closed.isEmpty)
            leaving = nil  // closes the socket
            try handler.waitForClosed(1)
            #expect(handler.closed == [id])
            try staying.send("still\n")
            #expect(try staying.readText(timeout: 10) == "\(other)")
            #expect(handler.closed == [id])
        }
    }
}

@Suite struct SocketServerLimitTests {
    @Test func overLongLineGetsAnErrorThenClose() async throws {
        try await withTestServer({ $0.maxLineBytes = 64 }, handler: GatedHandler()) { server, path in
            let client = try LineClient(path: path)
            try client.send("now:" + String(repeating: "x", count: 60) + "\n")  // exactly 64: fine
            try client.send(String(repeating: "y", count: 200))  // no newline needed to be rejected
            let lines = try client.readUntilClosed()
            #expect(lines.count == 2)
            #expect(lines.first?.hasPrefix("r:now:") == true)
            #expect(lines.last?.contains("\"code\":\"line_too_long\"") == true)
            #expect(server.stats.linesTooLong == 1)
        }
    }

    @Test func connectionsOverTheLimitAreRefusedWithAnError() async throws {
        try await withTestServer({ $0.maxConnections = 2 }, handler: GatedHandler()) { server, path in
            let a = try LineClient(path: path)
            var b: LineClient? = try LineClient(path: path)
            for c in [a, b!] {
                try c.send("now:hi\n")
                #expect(try c.readText(timeout: 10) == "r:now:hi")
            }
            let refused = try LineClient(path: path)
            let lines = try refused.readUntilClosed()
            #expect(lines.count == 1)
            #expect(lines.first?.contains("\"code\":\"too_many_connections\"") == true)
            b = nil  // closes the socket
            #expect(await eventually { server.stats.openConnections == 1 })
            let c = try LineClient(path: path)
            try c.send("now:again\n")
            #expect(try c.readText(timeout: 10) == "r:now:again")
            #expect(server.stats.rejectedConnections == 1)
            _ = b
        }
    }

    @Test func halfWrittenLineTimesOut() async throws {
        try await withTestServer({ $0.partialLineTimeout = .milliseconds(200) }, handler: GatedHandler()) { server, path in
            let client = try LineClient(path: path)
            try client.send("now:complete\nnow:half")
            let lines = try client.readUntilClosed()
            #expect(lines.count == 2)
            #expect(lines.first == "r:now:complete")
            #expect(lines.last?.contains("\"code\":\"timeout\"") == true)
            #expect(server.stats.timeouts == 1)
        }
    }

    @Test func inFlightRequestsPerConnectionAreCapped() async throws {
        let handler = GatedHandler()
        try await withTestServer({ $0.maxInFlightPerConnection = 8 }, handler: handler) { server, path in
            let client = try LineClient(path: path)
            let total = 10_000
            let writer = Thread { try? client.send((0..<total).map { "later:\($0)\n" }.joined()) }
            writer.start()
            try handler.waitForPending(8)
            // Nothing completes while gated, so the server must not dispatch a ninth request.
            #expect(await eventually { server.stats.readPauses >= 1 })
            #expect(handler.callCount == 8)
            handler.releaseAll()
            for i in 0..<total {
                #expect(try client.readText(timeout: 10) == "r:later:\(i)")
            }
            #expect(server.stats.maxInFlightSeen <= 8)
        }
    }

    @Test func aClientThatNeverReadsStopsTheServerReading() async throws {
        // 10k requests with 1 KiB replies = 10 MiB: far above socket buffers + high-water mark.
        let handler = GatedHandler(replyPadding: 1024)
        try await withTestServer(handler: handler) { server, path in
            let client = try LineClient(path: path)
            let total = 10_000
            let writer = Thread { try? client.send((0..<total).map { "now:\($0)\n" }.joined()) }
            writer.start()
            #expect(await eventually { server.stats.readPauses >= 1 })
            #expect(server.stats.requests < total)  // paused before consuming everything
            for i in 0..<total {
                let line = try #require(try client.readText(timeout: 10))
                #expect(line.hasPrefix("r:now:\(i) "))
            }
        }
    }
}
