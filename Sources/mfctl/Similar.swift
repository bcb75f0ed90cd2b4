import ArgumentParser
import MFCtlKit
import MFProtocol

struct Similar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Items most similar to an item (cosine of factors).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Item ID.") var item: Int64
    @Option(name: .short, help: "How many items.") var n = 10

    func run() async throws {
        try await global.run(SimilarItemsRequest(item: item, n: n)) { Table.items($0.items) }
    }
}
