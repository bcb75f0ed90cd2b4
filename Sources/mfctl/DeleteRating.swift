import ArgumentParser
import MFProtocol

struct DeleteRating: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete-rating", abstract: "Delete one rating.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "User ID.") var user: Int64
    @Argument(help: "Item ID.") var item: Int64

    func run() async throws {
        try await global.run(DeleteRatingRequest(user: user, item: item)) { "deleted (seq \($0.seq))" }
    }
}
