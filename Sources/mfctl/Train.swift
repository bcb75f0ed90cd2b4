import ArgumentParser
import Foundation
import MFClient
import MFProtocol

struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start a background retrain.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Wait for the training to finish, showing progress (mfd joins a job already running instead).") var wait = false
    @Flag(help: "Search λ and the ranking weight again on the current ratings first.") var search = false

    func run() async throws {
        guard wait else {
            return try await global.run(TrainRequest(search: search)) { "job \($0.job) \($0.state.rawValue)" }
        }
        // One request: mfd answers when the job ends (joining one already running, e.g. the
        // automatic retrain after an import) and sends progress lines meanwhile.
        let bar = Progress(label: "train")
        let reply = try await global.withClient { client throws(MFClientError) in
            try await client.sendLong(TrainRequest(wait: true, search: search)) { bar.update($0) }
        }
        let job = reply.value
        if job.state == .succeeded { bar.finish() }
        // --json prints mfd's answer (the finished job) unchanged; a failed job still exits 1.
        if global.json {
            printJSON(reply.json)
            if job.state != .succeeded { throw CtlExit(code: MFProtocol.ExitCode.daemonError) }
            return
        }
        print("job \(job.job) \(job.state.rawValue)" + (job.metrics.map {
            String(format: ": train RMSE %.4f", $0.trainRMSE) + ($0.holdoutRMSE.map { String(format: ", holdout RMSE %.4f", $0) } ?? "")
                + String(format: ", %.1f s", $0.durationSeconds)
        } ?? "") + (job.error.map { ": \($0.code.rawValue): \($0.message)" } ?? ""))
        if let s = job.metrics?.search { print(Self.searchText(s)) }
        if job.state != .succeeded { throw CtlExit(code: MFProtocol.ExitCode.daemonError) }
    }

    /// The search's choice, cost and trials, one line each.
    static func searchText(_ s: SearchInfo) -> String {
        let head = Config.searchedText(s.chosen) + String(format: "; search %.1f s", s.seconds)
            + (s.sampledUsers.map { " on \($0) sampled users" } ?? "")
        return ([head] + s.trials.map { t in
            "  \(t.parameter) \(t.value): " + (t.holdoutRMSE.map { String(format: "holdout RMSE %.4f", $0) } ?? "")
                + (t.holdoutNDCG.map { String(format: "holdout NDCG@10 %.4f", $0) } ?? "") + ", \(t.sweeps) sweeps" + String(format: ", %.2f s", t.seconds)
        }).joined(separator: "\n")
    }
}
