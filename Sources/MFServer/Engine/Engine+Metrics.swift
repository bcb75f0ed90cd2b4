import Foundation
import MFProtocol
import Prometheus

extension Engine {
    /// `metrics`: Prometheus text exposition of requests (counted as they are
    /// answered), data, model and training (set as gauges at scrape time).
    public func metricsText(connections: Int) -> MetricsResult {
        let s = snapshot
        let r = metrics.registry
        func gauge(_ name: String, _ help: String, _ value: Double) {
            r.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help)).set(value)
        }
        gauge("mfd_ratings", "Ratings held.", Double(s.ratingCount))
        gauge("mfd_users", "Users known.", Double(s.users.count))
        gauge("mfd_items", "Items known.", Double(s.items.count))
        gauge("mfd_pending_changes", "Rating changes since the serving model's training snapshot.", Double(s.pendingChanges))
        gauge("mfd_connections", "Open client connections.", Double(connections))
        let cached = recommendCache.usage
        gauge("mfd_recommend_cache_entries", "Recommend answers held by the recommend cache.", Double(cached.entries))
        gauge("mfd_recommend_cache_bytes", "Bytes the recommend cache counts: its answers plus 64 per entry.", Double(cached.bytes))
        gauge("mfd_uptime_seconds", "Seconds since the engine started.", Date().timeIntervalSince(startedAt))
        if let m = s.modelInfo {
            gauge("mfd_model_id", "Stored id of the serving model.", Double(m.id))
            gauge("mfd_model_age_seconds", "Seconds since the serving model was trained or imported.", m.ageSeconds)
            gauge("mfd_model_factors", "Latent factors k of the serving model.", Double(m.factors))
        }
        if let last = jobs.lastAndRunning().last {
            gauge("mfd_training_last_success", "1 when the last training or tuning job succeeded.", last.state == .succeeded ? 1 : 0)
            if let t = last.metrics {
                gauge("mfd_training_duration_seconds", "Duration of the last training.", t.durationSeconds)
                gauge("mfd_training_rmse", "Training RMSE of the last training.", t.trainRMSE)
                if let h = t.holdoutRMSE { gauge("mfd_training_holdout_rmse", "Holdout RMSE of the last training.", h) }
            }
        }
        return MetricsResult(text: r.emitToString())
    }
}
