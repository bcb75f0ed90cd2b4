import ArgumentParser
import Foundation
import MFProtocol

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Counts, model, training and counters.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run(StatusRequest()) { s in
            var lines = ["\(s.server), up \(Int(s.uptimeSeconds)) s, \(s.connections) connections"
                + (s.kernels.map { ", kernels \($0)" } ?? "")]
            if let l = s.loading {
                // After a start the counts read 0 until the ratings are in: say why.
                lines.append("loading: \(l.stage)" + (l.total > 0 ? " \(l.done * 100 / l.total)%" : "")
                    + " (recommend and predict answer from the stored model; writes wait)")
            }
            let imports = s.imports ?? []
            // While an import commits, the counts are those from before it: say so, and show the import.
            let before = imports.contains { $0.state == .committing && $0.kind != .model } ? " (before the import under way)" : ""
            lines += ["ratings \(s.ratings), users \(s.users), items \(s.items), density " + String(format: "%.5f", s.density) + before]
            for i in imports {
                let verb = i.kind == .model ? "importing a model" : "importing \(i.kind.rawValue)"
                lines.append("\(verb): \(i.progress.map(Job.stage) ?? i.state.rawValue) (\(i.import); mfctl job \(i.import))")
            }
            if let m = s.model {
                lines.append("model \(m.id): \(m.kind.rawValue) \(m.algorithm), k=\(m.factors), age \(Int(m.ageSeconds)) s")
            } else {
                lines.append("model: none (serving popularity)")
            }
            if let t = s.lastTraining, let met = t.metrics {
                lines.append("last training: job \(t.job), " + String(format: "train RMSE %.4f", met.trainRMSE)
                    + (met.holdoutRMSE.map { String(format: ", holdout RMSE %.4f", $0) } ?? "") + String(format: ", %.1f s", met.durationSeconds))
            }
            if let c = s.config.searched { lines.append(Config.searchedText(c)) }
            if let r = s.running { lines.append("running: \(r.kind.rawValue) job \(r.job) \(Int(r.progress * 100))%") }
            if let b = s.retrainBackoff {
                lines.append("retrain backing off: \(b.failures) failed trainings, next automatic retrain in \(Int(b.nextAttemptSeconds.rounded())) s")
            }
            lines.append("pending changes \(s.pendingChanges), retrain \(s.config.retrain.rawValue), requests \(s.requests.values.reduce(0, +)), errors \(s.errors)")
            return lines.joined(separator: "\n")
        }
    }
}
