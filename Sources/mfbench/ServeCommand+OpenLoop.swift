import ArgumentParser
import Foundation
import Synchronization

/// `mfbench serve --rate R`: open-loop load, as wrk2 does it. One sender thread
/// writes requests at fixed times (R per second in total, round-robin over the
/// connections) whatever the replies do; one reader thread per connection
/// matches replies in order. Latency runs from each request's *scheduled* time,
/// so a daemon that stalls is charged for the requests that pile up behind the
/// stall (no coordinated omission), and a sender that falls behind is too.
extension ServeCommand {
    func openLoad(rate: Double, _ request: @escaping @Sendable (inout SystemRandomNumberGenerator) -> String) throws -> Stat {
        let clock = ContinuousClock()
        let conns = try (0..<connections).map { _ in try ServeConnection(path: socket) }
        // Per connection: scheduled times of requests sent and not yet answered.
        let inFlight = (0..<connections).map { _ in InFlight() }
        let sendingDone = Atomic<Bool>(false)
        let latencies = Mutex<[Double]>([])
        let failure = Mutex<String?>(nil)
        let group = DispatchGroup()
        let cpu0 = Self.cpuSeconds()
        let start = clock.now + .milliseconds(20)
        let total = Int(rate * seconds)
        let interval = Duration.nanoseconds(Int64(1e9 / rate))
        for (c, conn) in conns.enumerated() {
            group.enter()
            Thread {
                defer { group.leave() }
                var mine: [Double] = []
                do {
                    // Blocks in recv until a reply comes; the sender queues each time before writing.
                    while !(sendingDone.load(ordering: .acquiring) && inFlight[c].times.withLock({ $0.isEmpty })) {
                        let line: ArraySlice<UInt8>
                        do { line = try conn.readLine() } catch {
                            if sendingDone.load(ordering: .acquiring) && inFlight[c].times.withLock({ $0.isEmpty }) { break }
                            throw error
                        }
                        let now = clock.now
                        let scheduled = inFlight[c].times.withLock { $0.removeFirst() }
                        if ServeConnection.isError(line) {
                            throw ServeConnection.Failure(description: String(decoding: line, as: UTF8.self))
                        }
                        mine.append((now - scheduled).inMicroseconds)
                    }
                } catch {
                    failure.withLock { $0 = "\(error)" }
                }
                latencies.withLock { $0 += mine }
            }.start()
        }
        var rng = SystemRandomNumberGenerator()
        var late: [Double] = []
        late.reserveCapacity(total)
        do {
            for k in 0..<total {
                let at = start + interval * k
                let wait = at - clock.now
                if wait > .microseconds(50) { Thread.sleep(forTimeInterval: wait.inSeconds) }
                late.append(max(0, (clock.now - at).inMicroseconds))
                let c = k % connections
                inFlight[c].times.withLock { $0.append(at) }
                try conns[c].send(Array((request(&rng) + "\n").utf8))
                if failure.withLock({ $0 }) != nil { break }
            }
        } catch {
            failure.withLock { $0 = "\(error)" }
        }
        sendingDone.store(true, ordering: .releasing)
        // Readers with nothing left in flight are blocked in recv: wake them once drained.
        let deadline = clock.now + .seconds(30)
        for (c, conn) in conns.enumerated() {
            while !inFlight[c].times.withLock({ $0.isEmpty }) && clock.now < deadline && failure.withLock({ $0 }) == nil {
                Thread.sleep(forTimeInterval: 0.001)
            }
            conn.shutdownRead()
        }
        group.wait()
        if let f = failure.withLock({ $0 }) { throw ValidationError("load failed: \(f)") }
        let secs = (clock.now - start).inSeconds
        var result = try stat(latencies.withLock { $0 }, seconds: secs, cpu0: cpu0)
        late.sort()
        result.send_late_p99_us = late.isEmpty ? 0 : late[min(late.count - 1, Int(Double(late.count) * 0.99))]
        return result
    }
}

/// Scheduled times of one connection's unanswered requests (Mutex is not copyable, so boxed).
private final class InFlight: Sendable {
    let times = Mutex<[ContinuousClock.Instant]>([])
}
