import Foundation
import MFProtocol

extension Dispatcher {
    /// `metrics`: Prometheus text exposition (format 0.0.4) of the counters and model state.
    func metricsText() -> MetricsResult {
        let s = engine.snapshot
        var out = ""
        func gauge(_ name: String, _ help: String, _ value: Double) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(value)\n"
        }
        out += "# HELP mfd_requests_total Requests answered, by op.\n# TYPE mfd_requests_total counter\n"
        for (op, n) in counters.byOp.sorted(by: { $0.key < $1.key }) { out += "mfd_requests_total{op=\"\(op)\"} \(n)\n" }
        out += "# HELP mfd_errors_total Error replies.\n# TYPE mfd_errors_total counter\nmfd_errors_total \(counters.errors)\n"
        gauge("mfd_ratings", "Ratings held.", Double(s.ratingCount))
        gauge("mfd_users", "Users known.", Double(s.users.count))
        gauge("mfd_items", "Items known.", Double(s.items.count))
        gauge("mfd_pending_changes", "Rating changes since the serving model's training snapshot.", Double(s.pendingChanges))
        gauge("mfd_connections", "Open connections.", Double(openConnections))
        if let m = s.modelInfo {
            gauge("mfd_model_id", "Serving model id.", Double(m.id))
            gauge("mfd_model_age_seconds", "Seconds since the serving model was trained.", m.ageSeconds)
        }
        if let last = engine.jobs.lastAndRunning().last, let metrics = last.metrics {
            gauge("mfd_training_duration_seconds", "Duration of the last finished training.", metrics.durationSeconds)
            gauge("mfd_training_rmse", "Training RMSE of the last finished training.", metrics.trainRMSE)
        }
        return MetricsResult(text: out)
    }
}
