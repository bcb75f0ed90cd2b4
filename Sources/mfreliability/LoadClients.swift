import Foundation
import MFCore
import MFLineClient
import Synchronization

/// What one load client saw: latencies by start time, errors, and every
/// distinct probe answer (to check each against whole-model states).
struct LoadLog {
    /// (start seconds since t0, latency seconds, is a write).
    var samples: [(start: Double, latency: Double, write: Bool)] = []
    var errors: [String] = []
    var probeAnswers: [String: Set<String>] = [:]
}

/// The fixed request shapes whose answers depend only on the serving model:
/// probe users are never written, and candidates (`include`) are items no writer rates.
struct LoadProbes {
    let users: [Int64]
    let candidates: [Int64]

    /// Requests keyed by a stable name.
    func requests() -> [(key: String, op: String, params: [String: Any])] {
        users.flatMap { u -> [(key: String, op: String, params: [String: Any])] in
            [("rec-\(u)", "recommend", ["user": u, "n": 10, "include": candidates]),
             ("pred-\(u)", "predict", ["user": u, "item": candidates[Int(u) % candidates.count]])]
        }
    }

    /// One answer per probe from a quiet daemon (no training running).
    func capture(_ c: LineClient) throws -> [String: String] {
        var out: [String: String] = [:]
        for r in requests() {
            let reply = try c.call(r.op, r.params)
            guard reply.ok else { throw ReliabilityFailure(description: "probe \(r.key) failed: \(reply)") }
            out[r.key] = reply.canonicalResult
        }
        return out
    }
}

/// Reader and writer threads, each on its own connection, until `stop`.
final class LoadClients: @unchecked Sendable {  // logs behind locks; joined via the group
    let logs: [LockedBox<LoadLog>]
    let writers: Int
    let probes: LoadProbes
    let t0: DispatchTime
    private let stopFlag = Atomic<Bool>(false)
    private let group = DispatchGroup()

    init(clients: Int, writers: Int, probes: LoadProbes, t0: DispatchTime) {
        logs = (0..<clients).map { _ in LockedBox(LoadLog()) }
        self.writers = writers
        self.probes = probes
        self.t0 = t0
    }

    func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9 }

    func start(socket: String, seed: UInt64) throws {
        for k in logs.indices {
            let client = try LineClient.connect(path: socket, timeout: 10)
            group.enter()
            Thread { [self] in
                defer { group.leave() }
                let requests = probes.requests()
                var rng = SeededRNG(seed: seed &+ UInt64(k) &* 104_729)
                var log = LoadLog()
                while !stopFlag.load(ordering: .relaxed) {
                    let (op, params, probeKey, write) = k < writers ? writeRequest(k, &rng) : readRequest(requests, &rng)
                    let start = now()
                    do {
                        let r = try client.call(op, params, timeout: 120)
                        log.samples.append((start, now() - start, write))
                        if !r.ok { log.errors.append("\(op): \(r)") }
                        if let probeKey, r.ok { log.probeAnswers[probeKey, default: []].insert(r.canonicalResult) }
                    } catch {
                        log.errors.append("\(op): \(error)")
                        break
                    }
                }
                logs[k].withLock { $0 = log }
            }.start()
        }
    }

    func stopAndJoin() -> Bool {
        stopFlag.store(true, ordering: .relaxed)
        return group.wait(timeout: .now() + 180) == .success
    }

    /// Writers rate items 1…200 for their own new users and for demo users 301…600.
    private func writeRequest(_ k: Int, _ rng: inout SeededRNG) -> (String, [String: Any], String?, Bool) {
        func user() -> Int64 { rng.next(below: 2) == 0 ? 7_000_000 + Int64(k * 100 + rng.next(below: 50)) : Int64(301 + rng.next(below: 300)) }
        func rating() -> Double { Double(1 + rng.next(below: 10)) * 0.5 }
        if rng.next(below: 10) < 7 {
            return ("add_rating", ["user": user(), "item": 1 + rng.next(below: 200), "rating": rating()], nil, true)
        }
        let rows = (0..<5).map { _ in [user(), Int64(1 + rng.next(below: 200)), rating()] as [Any] }
        return ("add_ratings", ["ratings": rows], nil, true)
    }

    private func readRequest(_ requests: [(key: String, op: String, params: [String: Any])],
                             _ rng: inout SeededRNG) -> (String, [String: Any], String?, Bool) {
        let roll = rng.next(below: 100)
        if roll < 60 {
            let r = requests[rng.next(below: requests.count)]
            return (r.op, r.params, r.key, false)
        }
        switch roll {
        case 60..<75: return ("recommend", ["user": 1 + rng.next(below: 600), "n": 10], nil, false)
        case 75..<85: return ("user", ["user": 1 + rng.next(below: 600)], nil, false)
        case 85..<92: return ("similar_items", ["item": probes.candidates[rng.next(below: probes.candidates.count)], "n": 10], nil, false)
        case 92..<96: return ("status", [:], nil, false)
        default: return ("hello", [:], nil, false)
        }
    }
}
