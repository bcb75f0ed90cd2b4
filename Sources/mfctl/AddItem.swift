import ArgumentParser
import MFCtlKit
import MFProtocol

struct AddItem: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-item", abstract: "Create or update an item.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Item ID.") var item: Int64
    @Option(help: "Title.") var title: String?
    @Option(help: "Genres separated by '|', e.g. 'Drama|Sci-Fi'.") var genres: String?
    @Option(name: .customLong("attr"), help: "name=value; repeatable.") var attrs: [String] = []

    func validate() throws { _ = try usage { () throws(UsageError) in try Arguments.attributes(attrs) } }

    func run() async throws {
        let op = AddItemRequest(item: item, title: title,
                                genres: genres.map { $0.split(separator: "|").map(String.init) },
                                attributes: attrs.isEmpty ? nil : try usage { () throws(UsageError) in try Arguments.attributes(attrs) })
        try await global.run(op) { $0.created ? "created item \($0.item)" : "updated item \($0.item)" }
    }
}
