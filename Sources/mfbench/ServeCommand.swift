import ArgumentParser
import Foundation
import MFCore
import MFLineClient
import Synchronization

/// `mfbench serve`: closed-loop load against a running mfd over its socket.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Measure mfd's recommend latency/throughput and durable add_rating throughput over the socket.",
        discussion: """
        Each connection runs on its own thread and keeps --depth requests in flight. \
        Phase 1 sends recommend for random users 1...--users; phase 2 sends add_rating \
        (each acknowledged only after its commit) for random users and items taken \
        from the catalogue. Latency is from writing a request to reading its reply. \
        With --rate the load is open-loop instead, from one thread (see ServeCommand+OpenLoop).
        """)

    @Option(help: "mfd's socket.")
    var socket: String
    @Option(help: "Client connections.")
    var connections = 16
    @Option(help: "Requests in flight per connection (closed loop).")
    var depth = 1
    @Option(help: "Open loop: send this many requests per second in total, round-robin over the connections, whatever the replies do; latency counts from each request's scheduled time. 0 = closed loop.")
    var rate = 0.0
    @Option(help: "Open loop only: write each request's scheduled time and latency (µs) to this CSV file, to see when stalls happen.")
    var traceFile: String?
    @Option(help: "Seconds per phase.")
    var seconds = 5.0
    @Option(help: "Users are drawn from 1...users.")
    var users = 600
    @Option(help: "Phases to run: recommend, add_rating or both.")
    var phase = "both"
    @Flag(help: "Print one JSON object.")
    var json = false

    struct Stat: Encodable { var requests: Int; var per_second, p50_us, p99_us: Double
        /// mfbench's own CPU (user + system) per request, to show the client is not the bottleneck.
        var client_cpu_us: Double
        /// Open loop only: p99 of how late the sender wrote a request after its scheduled time
        /// (client-side delay, which the latency figures include).
        var send_late_p99_us: Double? = nil }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let items = try catalogue()
        var report: [String: Stat] = [:]
        if phase == "both" || phase == "recommend" {
            report["recommend"] = try load { rng in #"{"op":"recommend","user":\#(Int.random(in: 1...users, using: &rng))}"# }
        }
        if phase == "both" || phase == "add_rating" {
            report["add_rating"] = try load { rng in
                let r = Double(Int.random(in: 1...10, using: &rng)) / 2
                return #"{"op":"add_rating","user":\#(Int.random(in: 1...users, using: &rng)),"item":\#(items.randomElement(using: &rng)!),"rating":\#(r)}"#
            }
        }
        if json {
            let e = JSONEncoder(); e.outputFormatting = [.sortedKeys]
            print(String(decoding: try e.encode(report), as: UTF8.self))
        } else {
            for (op, s) in report.sorted(by: { $0.key < $1.key }) {
                print("\(op): \(s.requests) requests, \(Int(s.per_second)) req/s, p50 \(Int(s.p50_us)) µs, p99 \(Int(s.p99_us)) µs, "
                    + (s.send_late_p99_us.map { "sender late p99 \(Int($0)) µs, " } ?? "")
                    + "client CPU \(Int(s.client_cpu_us)) µs/request (\(connections) connections, "
                    + (rate > 0 ? "open loop at \(Int(rate))/s)" : "depth \(depth))"))
            }
        }
    }

    /// Item IDs to rate: the catalogue's most popular items.
    func catalogue() throws -> [Int64] {
        let items = try LineClient(path: socket).call("recommend", ["user": -1, "n": 1000]).itemIDs
        guard !items.isEmpty else { throw ValidationError("mfd has no rated items; start it with --demo or import ratings") }
        return items
    }

    /// Runs `connections` threads for `seconds`; latencies in µs.
    func load(_ request: @escaping @Sendable (inout SeededRNG) -> String) throws -> Stat {
        if rate > 0 { return try openLoad(rate: rate, request) }
        let latencies = Mutex<[Double]>([])
        let failure = Mutex<String?>(nil)
        let group = DispatchGroup()
        let clock = ContinuousClock()
        let cpu0 = processCPUSeconds()
        let start = clock.now
        let end = start + .milliseconds(Int(seconds * 1000))
        let conns = try (0..<connections).map { _ in try LineClient(path: socket) }
        for conn in conns {
            group.enter()
            Thread {
                defer { group.leave() }
                var rng = SeededRNG(seed: UInt64.random(in: 0...UInt64.max))
                var mine: [Double] = []
                var sent: [ContinuousClock.Instant] = []
                do {
                    for _ in 0..<depth { sent.append(clock.now); try conn.send(Array((request(&rng) + "\n").utf8)) }
                    while !sent.isEmpty {
                        guard let line = try conn.readLine() else { throw LineClientError(.closed, "connection closed by mfd") }
                        let t0 = sent.removeFirst(), now = clock.now
                        if LineClient.isErrorReply(line) {
                            throw LineClientError(.badReply, String(decoding: line, as: UTF8.self))
                        }
                        mine.append((now - t0).inMicroseconds)
                        if now < end { sent.append(clock.now); try conn.send(Array((request(&rng) + "\n").utf8)) }
                    }
                } catch {
                    failure.withLock { $0 = "\(error)" }
                }
                latencies.withLock { $0 += mine }
            }.start()
        }
        group.wait()
        if let f = failure.withLock({ $0 }) { throw ValidationError("load failed: \(f)") }
        let secs = (clock.now - start).inSeconds
        return try stat(latencies.withLock { $0 }, seconds: secs, cpu0: cpu0)
    }

    /// Count, rate, p50/p99 and the client's CPU per request of one phase.
    func stat(_ latencies: [Double], seconds secs: Double, cpu0: Double) throws -> Stat {
        let all = latencies.sorted()
        guard !all.isEmpty else { throw ValidationError("no replies") }
        return Stat(requests: all.count, per_second: Double(all.count) / secs, p50_us: all.percentile(0.5), p99_us: all.percentile(0.99),
                    client_cpu_us: (processCPUSeconds() - cpu0) * 1e6 / Double(all.count))
    }
}
