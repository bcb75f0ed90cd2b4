import ArgumentParser
import Foundation
import MFProtocol

struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Holdout RMSE, MAE and NDCG@10 on the current ratings.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Fraction of ratings held out, in (0, 1).") var testFraction = 0.2
    @Option(help: "Split seed.") var seed: Int64 = 42

    func validate() throws {
        guard testFraction > 0, testFraction < 1 else { throw ValidationError("--test-fraction must be in (0, 1)") }
    }

    func run() async throws {
        let bar = Progress(label: "evaluate")
        try await global.run(EvaluateRequest(testFraction: testFraction, seed: seed), progress: { bar.update($0) }) { r in
            bar.finish()
            return String(format: "RMSE %.4f  MAE %.4f  NDCG@10 %.4f  P@10 %.4f  (%d train / %d test ratings, %.1f s)",
                   r.rmse, r.mae, r.ndcgAt10, r.precisionAt10, r.trainRatings, r.testRatings, r.durationSeconds)
        }
    }
}
