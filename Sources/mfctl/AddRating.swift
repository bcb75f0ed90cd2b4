import ArgumentParser
import MFCtlKit
import MFProtocol

struct AddRating: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-rating", abstract: "Add or replace a rating (durable, applied at once).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "User ID.") var user: Int64
    @Argument(help: "Item ID.") var item: Int64
    @Argument(help: "Rating (within the daemon's scale).") var rating: String
    @Option(help: "Unix timestamp (default: now, on the daemon).") var timestamp: Int64?

    func validate() throws { _ = try usage { () throws(UsageError) in try Arguments.rating(rating) } }

    func run() async throws {
        let op = AddRatingRequest(user: user, item: item, rating: try usage { () throws(UsageError) in try Arguments.rating(rating) }, timestamp: timestamp)
        try await global.run(op) { r in
            "ok (seq \(r.seq)\(r.newUser ? ", new user" : "")\(r.newItem ? ", new item" : ""))"
        }
    }
}
