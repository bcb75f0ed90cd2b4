import Foundation
import Testing
@testable import MFLineClient
#if canImport(Glibc)
import Glibc
#endif

/// `LineClient` over a socket pair: framing across reads, deadlines, end of stream, nonblocking reads.
@Suite struct LineClientTests {
    /// A client on one end of a connected pair and the raw other end.
    static func pair(nonblocking: Bool = false) -> (LineClient, CInt) {
        var fds: [CInt] = [0, 0]
        precondition(socketpair(AF_UNIX, CInt(SOCK_STREAM.rawValue), 0, &fds) == 0)
        if nonblocking { _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK) }
        return (LineClient(descriptor: fds[0]), fds[1])
    }

    static func write(_ fd: CInt, _ text: String) {
        let bytes = Array(text.utf8)
        precondition(bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count)
    }

    @Test func linesSplitAcrossWritesAndEndOfStream() throws {
        let (client, peer) = Self.pair()
        Self.write(peer, "{\"id\":1,\"ok\":tr")
        Self.write(peer, "ue}\n\nlast")
        #expect(try client.readText() == "{\"id\":1,\"ok\":true}")
        #expect(try client.readText() == "")
        close(peer)
        // An unterminated tail is not a line; the end of stream is nil.
        #expect(try client.readText() == nil)
    }

    @Test func aSilentPeerTimesOut() throws {
        let (client, peer) = Self.pair()
        defer { close(peer) }
        #expect(throws: LineClientError.self) { try client.readLine(timeout: 0.01) }
        do { _ = try client.readLine(timeout: 0) } catch { #expect(error.code == .timedOut) }
    }

    @Test func callSendsNumberedRequestsAndParsesTheReply() throws {
        let (client, peer) = Self.pair()
        Self.write(peer, "{\"id\":1,\"ok\":false,\"error\":{\"code\":\"unknown_user\",\"field\":\"user\"}}\n")
        let r = try client.call("recommend", ["user": 7])
        #expect(!r.ok && r.errorCode == "unknown_user" && r.errorField == "user")
        let server = LineClient(descriptor: peer)
        let sent = try #require(try server.readText(timeout: 5))
        let request = try #require(try JSONSerialization.jsonObject(with: Data(sent.utf8)) as? [String: Any])
        #expect(request["op"] as? String == "recommend" && request["id"] as? Int == 1 && request["user"] as? Int == 7)
        #expect(LineClient.isErrorReply(Array(r.raw.utf8)[...]))
        // Only the head of the line is searched: a result's own `"ok":false` further on is not an error.
        let pad = String(repeating: "x", count: 64)
        #expect(!LineClient.isErrorReply(Array("{\"id\":2,\"ok\":true,\"result\":{\"pad\":\"\(pad)\",\"ok\":false}}".utf8)[...]))
    }

    @Test func nonblockingReadsTakeWhatHasArrived() throws {
        let (client, peer) = Self.pair(nonblocking: true)
        #expect(try client.receiveAvailable())
        #expect(try client.bufferedLine() == nil)
        Self.write(peer, "a\nb\nc")
        #expect(try client.receiveAvailable())
        #expect(try client.bufferedLine().map { Array($0) } == Array("a".utf8))
        #expect(try client.bufferedLine().map { Array($0) } == Array("b".utf8))
        #expect(try client.bufferedLine() == nil)
        close(peer)
        #expect(try client.receiveAvailable() == false)
    }
}
