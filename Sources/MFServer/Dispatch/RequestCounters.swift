import Dispatch
import MFProtocol
import Synchronization

/// Requests answered per op and errors answered, readable for `status`; each
/// count is also recorded in the engine's Prometheus metrics.
final class RequestCounters: Sendable {
    private static let ops = Op.allCases
    private let counts = Mutex([Int](repeating: 0, count: Op.allCases.count))
    private let errorCount = Atomic<Int>(0)
    private let metrics: EngineMetrics

    init(metrics: EngineMetrics) { self.metrics = metrics }

    /// Counts one answered request; `since` (a `DispatchTime` uptime in ns,
    /// taken when the request was decoded) also records its latency.
    func count(_ op: Op, failed: Bool, since t0: UInt64? = nil) {
        let i = Self.ops.firstIndex(of: op)!
        counts.withLock { $0[i] += 1 }
        if failed { errorCount.add(1, ordering: .relaxed) }
        metrics.record(op, failed: failed, nanoseconds: t0.map { DispatchTime.now().uptimeNanoseconds - $0 })
    }

    func countDecodeError() {
        errorCount.add(1, ordering: .relaxed)
        metrics.countDecodeError()
    }

    var errors: Int { errorCount.load(ordering: .relaxed) }

    /// Non-zero counts by wire name.
    var byOp: [String: Int] {
        let c = counts.withLock { $0 }
        var out: [String: Int] = [:]
        for (i, n) in c.enumerated() where n > 0 { out[Self.ops[i].rawValue] = n }
        return out
    }
}
