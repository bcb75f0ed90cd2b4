import ArgumentParser
import Foundation
import MFClient
import MFProtocol

struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start a background retrain.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Wait for the training to finish, showing progress (a job already running is waited for instead).") var wait = false
    @Flag(help: "Search λ and the ranking weight again on the current ratings first.") var search = false

    func run() async throws {
        guard wait else {
            return try await global.run(TrainRequest(search: search)) { "job \($0.job) \($0.state.rawValue)" }
        }
        // Poll train_status so progress shows and no single request outlives --timeout.
        let bar = Progress(label: "train")
        let reply = try await global.withClient { client throws(MFClientError) in
            let started: RawResult<JobInfo>
            do throws(MFClientError) { started = try await client.sendKeepingJSON(TrainRequest(search: search)) } catch .daemon(let e) where e.code == .trainingInProgress {
                // A retrain is already running (e.g. the automatic one after an import): wait for that one instead.
                started = try await client.sendKeepingJSON(TrainStatusRequest(job: nil))
                FileHandle.standardError.write(Data("mfctl: \(started.kind.rawValue) job \(started.job) is already running; waiting for it\n".utf8))
            }
            return try await client.waitForJob(started) { bar.update(Int64($0 * 1000), 1000) }
        }
        bar.finish()
        let job = reply.value
        // --json prints the last train_status answer unchanged; a failed job still exits 1.
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
