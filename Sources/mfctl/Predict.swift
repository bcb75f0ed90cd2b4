import ArgumentParser
import Foundation
import MFProtocol

struct Predict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Predicted rating of an item by a user.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "User ID.") var user: Int64
    @Argument(help: "Item ID.") var item: Int64

    func run() async throws {
        try await global.run(PredictRequest(user: user, item: item)) { r in
            String(format: "%.3f", r.value) + "  (\(r.source.rawValue))"
        }
    }
}
