import ArgumentParser
import Foundation
import MFCore
#if canImport(Glibc)
import Glibc
import MFLineClient
#endif

/// `mfbench serve --rate R`: open-loop load, as wrk2 does it. One thread writes
/// requests at fixed times (R per second in total, round-robin over the
/// connections) whatever the replies do, and reads replies in between with
/// `select` (µs timeouts), so the client takes as little as it can of the two
/// cores it shares with mfd: a thread per connection cost ~15 µs of CPU per
/// request in context switches, and sleeping sender threads woke late.
/// Latency runs from each request's *scheduled* time, so a daemon that stalls
/// is charged for the requests that pile up behind the stall (no coordinated
/// omission), and a sender that falls behind is too.
extension ServeCommand {
    func openLoad(rate: Double, _ request: (inout SeededRNG) -> String) throws -> Stat {
        let clock = ContinuousClock()
        let conns = try (0..<connections).map { _ in try OpenLoopConnection(path: socket) }
        let maxFD = conns.map(\.fd).max() ?? 0
        let cpu0 = processCPUSeconds()
        let start = clock.now + .milliseconds(20)
        let total = Int(rate * seconds)
        let interval = Duration.nanoseconds(Int64(1e9 / rate))
        let giveUp = start + interval * total + .seconds(30)
        var rng = SeededRNG(seed: UInt64.random(in: 0...UInt64.max))
        var latencies: [Double] = [], late: [Double] = [], traced: [(Double, Double, Int)] = []
        latencies.reserveCapacity(total); late.reserveCapacity(total)
        var sent = 0
        while latencies.count < total {
            let now = clock.now
            guard now < giveUp else {
                throw ValidationError("load failed: \(total - latencies.count) requests unanswered 30 s after the last was due")
            }
            while sent < total, start + interval * sent <= now {
                let at = start + interval * sent
                late.append((now - at).inMicroseconds)
                try conns[sent % connections].send(Array((request(&rng) + "\n").utf8), scheduledAt: at)
                sent += 1
            }
            var readable = DescriptorSet(), writable = DescriptorSet()
            for conn in conns {
                readable.insert(conn.fd)
                if conn.wantsWrite { writable.insert(conn.fd) }
            }
            let wait = sent < total ? max(.zero, start + interval * sent - clock.now) : .milliseconds(100)
            var timeout = timeval(tv_sec: Int(wait.components.seconds), tv_usec: Int(wait.components.attoseconds / 1_000_000_000_000))
            let ready = select(maxFD + 1, &readable.raw, &writable.raw, nil, &timeout)
            if ready < 0 && errno != EINTR { throw ValidationError("select: \(String(cString: strerror(errno)))") }
            guard ready > 0 else { continue }
            for (c, conn) in conns.enumerated() {
                if writable.contains(conn.fd) { try conn.flush() }
                guard readable.contains(conn.fd) else { continue }
                let got = clock.now
                try conn.receive { at, line in
                    if LineClient.isErrorReply(line) {
                        throw ValidationError("load failed: \(String(decoding: line, as: UTF8.self))")
                    }
                    let latency = (got - at).inMicroseconds
                    latencies.append(latency)
                    if traceFile != nil { traced.append(((at - start).inMicroseconds, latency, c)) }
                }
            }
        }
        let secs = (clock.now - start).inSeconds
        if let traceFile {
            let rows = traced.sorted { $0.0 < $1.0 }.map { "\(Int($0.0)),\(Int($0.1)),\($0.2)\n" }
            try ("scheduled_us,latency_us,connection\n" + rows.joined()).write(toFile: traceFile, atomically: true, encoding: .utf8)
        }
        var result = try stat(latencies, seconds: secs, cpu0: cpu0)
        late.sort()
        result.send_late_p99_us = late.isEmpty ? 0 : late.percentile(0.99)
        return result
    }
}
