import ArgumentParser
import Foundation
import MFClient
import MFCtlKit
import MFProtocol

struct Tune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Search factors, lambda and iterations on a validation split.")
    @OptionGroup var global: GlobalOptions
    @Option(parsing: .upToNextOption, help: "Factor counts to try.") var factors: [Int] = []
    @Option(parsing: .upToNextOption, help: "Regularization values to try.") var lambda: [Double] = []
    @Option(parsing: .upToNextOption, help: "Iteration counts to try.") var iterations: [Int] = []
    @Option(help: "Random search: this many configurations instead of the full grid.") var trials: Int?
    @Option(help: "Seed.") var seed: Int64 = 42
    @Flag(help: "Make the best configuration the daemon's and retrain.") var apply = false

    func run() async throws {
        let op = TuneRequest(factors: factors.isEmpty ? nil : factors, lambda: lambda.isEmpty ? nil : lambda,
                             iterations: iterations.isEmpty ? nil : iterations, trials: trials, seed: seed, apply: apply, wait: true)
        // One request: mfd answers when the search ends and sends progress lines meanwhile.
        let bar = Progress(label: "tune")
        let reply = try await global.withClient { client throws(MFClientError) in
            try await client.sendLong(op) { bar.update($0) }
        }
        let job = reply.value
        if job.state == .succeeded { bar.finish() }
        if global.json {
            printJSON(reply.json)
            if job.state != .succeeded { throw CtlExit(code: MFProtocol.ExitCode.daemonError) }
            return
        }
        guard job.state == .succeeded, let report = job.tune else {
            FileHandle.standardError.write(Data("mfctl: tune job \(job.job) \(job.state.rawValue)\(job.error.map { ": \($0.message)" } ?? "")\n".utf8))
            throw CtlExit(code: MFProtocol.ExitCode.daemonError)
        }
        let rows = report.trials.map { t in
            ["\(t.factors)", JSONText.number(t.lambda), "\(t.iterations)", String(format: "%.4f", t.rmse), String(format: "%.4f", t.ndcgAt10),
             t == report.best ? "best" : ""]
        }
        print(Table.render(header: ["factors", "lambda", "iters", "rmse", "ndcg@10", ""], rows: rows,
                           right: [0, 1, 2, 3, 4], width: Table.terminalWidth()))
        if report.applied { print("applied the best configuration; retraining") }
    }
}
