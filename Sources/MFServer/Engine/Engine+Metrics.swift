import Foundation
import MFProtocol

extension Engine {
    /// `metrics`: Prometheus text exposition of requests, data, model and training.
    public func metricsText(requests: [String: Int], errors: Int, connections: Int) -> MetricsResult {
        let s = snapshot
        var p = PrometheusText()
        p.family("mfd_requests_total", "counter", "Requests answered, by op.")
        for (op, n) in requests.sorted(by: { $0.key < $1.key }) { p.sample("mfd_requests_total", [("op", op)], Double(n)) }
        p.family("mfd_request_errors_total", "counter", "Requests answered with an error (including undecodable lines).")
        p.sample("mfd_request_errors_total", Double(errors))
        p.family("mfd_request_duration_seconds", "histogram", "Time from decoded request to encoded reply, by op.")
        for (op, h) in metrics.snapshot() {
            var cumulative = 0
            for (b, bound) in EngineMetrics.bounds.enumerated() {
                cumulative += h.buckets[b]
                p.sample("mfd_request_duration_seconds_bucket", [("op", op.rawValue), ("le", PrometheusText.format(bound))], Double(cumulative))
            }
            p.sample("mfd_request_duration_seconds_bucket", [("op", op.rawValue), ("le", "+Inf")], Double(h.count))
            p.sample("mfd_request_duration_seconds_sum", [("op", op.rawValue)], h.sum)
            p.sample("mfd_request_duration_seconds_count", [("op", op.rawValue)], Double(h.count))
        }
        p.gauge("mfd_ratings", "Ratings held.", Double(s.ratingCount))
        p.gauge("mfd_users", "Users known.", Double(s.users.count))
        p.gauge("mfd_items", "Items known.", Double(s.items.count))
        p.gauge("mfd_pending_changes", "Rating changes since the serving model's training snapshot.", Double(s.pendingChanges))
        p.gauge("mfd_connections", "Open client connections.", Double(connections))
        p.gauge("mfd_uptime_seconds", "Seconds since the engine started.", Date().timeIntervalSince(startedAt))
        if let m = s.modelInfo {
            p.gauge("mfd_model_id", "Stored id of the serving model.", Double(m.id))
            p.gauge("mfd_model_age_seconds", "Seconds since the serving model was trained or imported.", m.ageSeconds)
            p.gauge("mfd_model_factors", "Latent factors k of the serving model.", Double(m.factors))
        }
        if let last = jobs.lastAndRunning().last {
            p.gauge("mfd_training_last_success", "1 when the last training or tuning job succeeded.", last.state == .succeeded ? 1 : 0)
            if let t = last.metrics {
                p.gauge("mfd_training_duration_seconds", "Duration of the last training.", t.durationSeconds)
                p.gauge("mfd_training_rmse", "Training RMSE of the last training.", t.trainRMSE)
                if let h = t.holdoutRMSE { p.gauge("mfd_training_holdout_rmse", "Holdout RMSE of the last training.", h) }
            }
        }
        return MetricsResult(text: p.text)
    }
}
