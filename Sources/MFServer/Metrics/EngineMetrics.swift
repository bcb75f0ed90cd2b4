import CoreMetrics
import MFProtocol
import Prometheus
import Synchronization

/// The daemon's metrics: requests and latencies are recorded through the
/// swift-metrics API (`Counter`, `Timer`) into a Prometheus registry owned by
/// this engine (not the process-global `MetricsSystem`, so several engines in
/// one test process never share counts); `metrics` renders the registry.
final class EngineMetrics: Sendable {
    /// Latency histogram upper bounds (Prometheus `le`), from 50 µs to 10 s.
    static let bounds: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(10),
    ]
    private static let ops = Op.allCases

    /// What `metrics` emits; gauges are set on it at scrape time.
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    /// One requests counter and one latency timer per op, made on first use so
    /// ops never called do not clutter the exposition.
    private let perOp: Mutex<[(requests: CoreMetrics.Counter, latency: CoreMetrics.Timer)?]>
    private let errors: CoreMetrics.Counter
    /// Plain recommends answered from / missed in `RecommendCache`.
    let recommendCacheHits: CoreMetrics.Counter
    let recommendCacheMisses: CoreMetrics.Counter

    init() {
        var f = PrometheusMetricsFactory(registry: registry)
        f.defaultDurationHistogramBuckets = Self.bounds
        factory = f
        perOp = Mutex(Array(repeating: nil, count: Self.ops.count))
        errors = CoreMetrics.Counter(label: "mfd_request_errors_total", factory: f)
        recommendCacheHits = CoreMetrics.Counter(label: "mfd_recommend_cache_hits_total", factory: f)
        recommendCacheMisses = CoreMetrics.Counter(label: "mfd_recommend_cache_misses_total", factory: f)
    }

    private func instruments(_ op: Op) -> (requests: CoreMetrics.Counter, latency: CoreMetrics.Timer) {
        let i = Self.ops.firstIndex(of: op)!
        return perOp.withLock { slots in
            if let m = slots[i] { return m }
            let dims = [("op", op.rawValue)]
            let m = (CoreMetrics.Counter(label: "mfd_requests_total", dimensions: dims, factory: factory),
                     CoreMetrics.Timer(label: "mfd_request_duration_seconds", dimensions: dims, factory: factory))
            slots[i] = m
            return m
        }
    }

    /// Records one answered request of `op`: its count, an error when
    /// `failed`, and its latency from decode to encoded reply when measured
    /// (`nil` for requests refused before they ran).
    func record(_ op: Op, failed: Bool, nanoseconds: UInt64?) {
        let m = instruments(op)
        m.requests.increment()
        if let ns = nanoseconds { m.latency.recordNanoseconds(Int64(ns)) }
        if failed { errors.increment() }
    }

    /// Counts a line that did not decode into a request (answered with an error).
    func countDecodeError() { errors.increment() }
}
