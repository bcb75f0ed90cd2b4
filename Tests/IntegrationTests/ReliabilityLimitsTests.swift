import Foundation
import MFLineClient
import MFTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// mfd's resource limits end to end: connections, line length, batch size,
/// half-written lines, and backpressure against a client that never reads.
@Suite
struct ReliabilityLimitsTests {
    static let limits = ["--retrain", "manual", "--max-connections", "4", "--max-line-bytes", "2000",
                         "--max-batch", "10", "--partial-line-timeout", "0.5", "--max-in-flight", "8"]

    @Test func limitsAnswerWithTheirCodeAndTheDaemonKeepsServing() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, Self.limits)
        let first = try mfd.connect()
        #expect(try first.call("ping").ok)

        // Batch: one over max_batch is refused whole, naming the field.
        let rows = (0...10).map { [9_100_000 + $0, 1, 4] }
        let batch = try first.call("add_ratings", ["ratings": rows])
        #expect(batch.errorCode == "batch_too_large" && batch.errorField == "ratings", "\(batch)")
        #expect(try first.call("status").result["ratings"] as? Int == 0)

        // Connections: the 5th gets too_many_connections, then EOF.
        var open = [first]
        for _ in 0..<3 { let c = try mfd.connect(); #expect(try c.call("ping").ok); open.append(c) }
        let fifth = try mfd.connect()
        let refused = try fifth.reply(timeout: 30)
        #expect(refused.errorCode == "too_many_connections", "\(refused)")
        #expect(try fifth.readText(timeout: 30) == nil)
        // mfctl says so plainly.
        let ctl = try ChildProcess.run(Tools.mfctl, ["status", "--socket", dir.socket])
        let said = ctl.stdout + ctl.stderr
        #expect(ctl.status != 0 && said.contains("too_many_connections: too many connections") && !said.contains("bad response"), "\(ctl)")
        open.removeLast()  // closes one; a new connection is then accepted once the server saw the close
        let again = try connectWhenAccepted(mfd)
        #expect(try again.call("ping").ok)

        // Line length: line_too_long, then the server closes that connection only.
        try again.send("{\"op\":\"ping\",\"pad\":\"" + String(repeating: "x", count: 3000) + "\"}\n")
        let long = try again.reply(timeout: 30)
        #expect(long.errorCode == "line_too_long", "\(long)")
        #expect(try again.readText(timeout: 30) == nil)
        #expect(try open[0].call("ping").ok)

        // Half-written line: timeout after --partial-line-timeout, then close.
        let slow = try connectWhenAccepted(mfd)
        try slow.send("{\"op\":\"pi")
        let timedOut = try slow.reply(timeout: 30)
        #expect(timedOut.errorCode == "timeout", "\(timedOut)")
        #expect(try slow.readText(timeout: 30) == nil)
        #expect(mfd.log.contains("partial line timed out"))
        #expect(try open[0].call("ping").ok)
        #expect(mfd.stop() == 0, "\(mfd.log)")
    }

    @Test func aClientThatNeverReadsIsThrottledNotBuffered() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, ["--demo", "--max-in-flight", "8", "--shutdown-grace", "1"] + Daemon.fastTraining)
        _ = try mfd.connect()
        let c = try mfd.connect()
        let pid = mfd.pid
        let rssBefore = try #require(vmKiB(pid, "VmRSS"))
        // Non-blocking writes of large-reply requests until the kernel says stop.
        let line = Array("{\"op\":\"recommend\",\"user\":42,\"n\":1000}\n".utf8)
        _ = fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) | O_NONBLOCK)
        var sent = 0, stalls = 0
        let budget = 200 << 20  // would be ~25 GB of replies if the server kept reading
        while sent < budget && stalls < 50 {
            let n = line.withUnsafeBytes { Glibc.send(c.fd, $0.baseAddress, $0.count, CInt(MSG_NOSIGNAL)) }
            if n == line.count { sent += n; stalls = 0; continue }
            #expect(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK), "send: \(n) errno \(errno)")
            if n > 0 { break }  // partial line: stop here (the rest never goes out)
            stalls += 1
            _ = poll(nil, 0, 20)  // give the server time to drain if it wanted to
        }
        #expect(sent < budget, "the server kept reading \(sent) bytes from a client that never reads")
        let rssAfter = try #require(vmKiB(pid, "VmRSS"))
        #expect(rssAfter - rssBefore < 200 * 1024, "RSS grew from \(rssBefore) to \(rssAfter) KiB")
        // Another client is served meanwhile.
        let other = try mfd.connect()
        #expect(try other.call("recommend", ["user": 7]).ok)
        // SIGTERM with unread replies pending: the connection cannot drain, so it is
        // closed after the shutdown grace period (1 s here) and mfd exits 0.
        #expect(mfd.stop(timeout: 30) == 0, "\(mfd.log)")
        #expect(mfd.log.contains("shutdown grace period over"), "\(mfd.log)")
    }

    /// Connects until the server has freed a slot (it learns of a close asynchronously).
    private func connectWhenAccepted(_ mfd: Daemon) throws -> LineClient {
        let deadline = Date().addingTimeInterval(30)
        while true {
            let c = try mfd.connect()
            let r = try? c.call("ping")  // a refused connection may already be closed
            if r?.ok == true { return c }
            guard r == nil || r?.errorCode == "too_many_connections", Date() < deadline else {
                throw LineClientError(.badReply, "\(r.map { "\($0)" } ?? "closed")")
            }
            _ = poll(nil, 0, 20)
        }
    }
}
