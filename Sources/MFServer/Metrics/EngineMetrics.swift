import MFProtocol
import Synchronization

/// Request latency histograms per op, recorded after the reply is encoded
/// (one short lock per request, never while a read is computed).
final class EngineMetrics: Sendable {
    /// Upper bounds in seconds (Prometheus `le`), from 50 µs to 10 s.
    static let bounds: [Double] = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]
    private static let ops = Op.allCases

    struct Histogram: Sendable {
        var buckets = [Int](repeating: 0, count: EngineMetrics.bounds.count)
        var count = 0
        var sum = 0.0
    }
    /// One lock per op, so ops do not contend with each other.
    private final class Slot: Sendable { let histogram = Mutex(Histogram()) }
    private let histograms = (0..<Op.allCases.count).map { _ in Slot() }

    /// Records one request of `op` that took `seconds`.
    func observe(_ op: Op, seconds: Double) {
        guard let i = Self.ops.firstIndex(of: op) else { return }
        let b = Self.bounds.firstIndex { seconds <= $0 }
        histograms[i].histogram.withLock { h in
            if let b { h.buckets[b] += 1 }
            h.count += 1
            h.sum += seconds
        }
    }

    /// Non-empty histograms by op, buckets not yet cumulative.
    func snapshot() -> [(op: Op, histogram: Histogram)] {
        zip(Self.ops, histograms).compactMap { op, m in
            let h = m.histogram.withLock { $0 }
            return h.count > 0 ? (op, h) : nil
        }
    }
}
