import ArgumentParser
import MFCtlKit
import MFProtocol

struct Recommend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Top-N items for a user.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "User ID.") var user: Int64
    @Option(name: .short, help: "How many items (1…1000).") var n = 10
    @Option(parsing: .upToNextOption, help: "Item IDs never to return.") var exclude: [Int64] = []
    @Option(parsing: .upToNextOption, help: "Only these item IDs are candidates.") var include: [Int64] = []
    @Flag(help: "Also return items the user already rated.") var withSeen = false
    @Flag(help: "Show which rated items each recommendation comes from.") var explain = false

    func validate() throws {
        guard (1...WireProtocol.maxN).contains(n) else { throw ValidationError("-n must be between 1 and \(WireProtocol.maxN)") }
    }

    func run() async throws {
        let op = RecommendRequest(user: user, n: n, excludeSeen: !withSeen, exclude: exclude,
                                  include: include.isEmpty ? nil : include, explain: explain)
        try await global.run(op) { Table.recommendation($0, explain: explain) }
    }
}
