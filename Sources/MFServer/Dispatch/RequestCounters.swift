import MFProtocol
import Synchronization

/// Requests answered per op and errors answered, for `status` and `metrics`.
final class RequestCounters: Sendable {
    private static let ops = Op.allCases
    private let counts = Mutex([Int](repeating: 0, count: Op.allCases.count))
    private let errorCount = Atomic<Int>(0)

    func count(_ op: Op, failed: Bool) {
        let i = Self.ops.firstIndex(of: op)!
        counts.withLock { $0[i] += 1 }
        if failed { errorCount.add(1, ordering: .relaxed) }
    }

    func countDecodeError() { errorCount.add(1, ordering: .relaxed) }

    var errors: Int { errorCount.load(ordering: .relaxed) }

    /// Non-zero counts by wire name.
    var byOp: [String: Int] {
        let c = counts.withLock { $0 }
        var out: [String: Int] = [:]
        for (i, n) in c.enumerated() where n > 0 { out[Self.ops[i].rawValue] = n }
        return out
    }
}
