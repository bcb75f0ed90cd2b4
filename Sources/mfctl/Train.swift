import ArgumentParser
import Foundation
import MFClient
import MFProtocol

struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start a background retrain.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Wait for the training to finish, showing progress.") var wait = false

    func run() async throws {
        guard wait else {
            return try await global.run(TrainRequest()) { "job \($0.job) \($0.state.rawValue)" }
        }
        // Poll train_status so progress shows and no single request outlives --timeout.
        let bar = Progress(label: "train")
        let job = try await global.withClient { client throws(MFClientError) -> JobInfo in
            try await client.waitForJob(try await client.send(TrainRequest())) { bar.update(Int64($0 * 1000), 1000) }
        }
        bar.finish()
        if global.json { return print(String(decoding: try StreamingJSONEncoder().encode(job), as: UTF8.self)) }
        print("job \(job.job) \(job.state.rawValue)" + (job.metrics.map {
            String(format: ": train RMSE %.4f", $0.trainRMSE) + ($0.holdoutRMSE.map { String(format: ", holdout RMSE %.4f", $0) } ?? "")
                + String(format: ", %.1f s", $0.durationSeconds)
        } ?? "") + (job.error.map { ": \($0.code.rawValue): \($0.message)" } ?? ""))
        if job.state != .succeeded { throw CtlExit(code: MFProtocol.ExitCode.daemonError) }
    }
}
