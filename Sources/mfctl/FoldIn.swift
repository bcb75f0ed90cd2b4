import ArgumentParser
import MFCtlKit
import MFProtocol

struct FoldIn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fold-in", abstract: "Fold in a user from ITEM:RATING pairs and show recommendations.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "User ID.") var user: Int64
    @Argument(help: "ITEM:RATING pairs, e.g. 260:5 1196:4.5.") var pairs: [String]
    @Flag(help: "Do not store the ratings (an anonymous fold-in).") var noPersist = false
    @Option(name: .short, help: "How many recommendations.") var n = 10

    func validate() throws {
        guard !pairs.isEmpty else { throw ValidationError("give at least one ITEM:RATING pair") }
        _ = try usage { () throws(UsageError) in try pairs.map(Arguments.itemRating) }
    }

    func run() async throws {
        let op = FoldInRequest(user: user, ratings: try usage { () throws(UsageError) in try pairs.map(Arguments.itemRating) }, persist: !noPersist, n: n)
        try await global.run(op) { r in
            "folded in \(r.ratings) ratings\(r.persisted ? " (stored)" : "")\n" + Table.items(r.items)
        }
    }
}
