import ArgumentParser
import Foundation
import MFProtocol

struct ItemInfo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "item", abstract: "Details of an item.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Item ID.") var item: Int64

    func run() async throws {
        try await global.run(ItemRequest(item: item)) { r in
            var lines = ["item \(r.item): \(r.title ?? "(no title)")"]
            if !r.genres.isEmpty { lines.append("genres: " + r.genres.joined(separator: "|")) }
            lines.append("\(r.ratings) ratings" + (r.mean.map { String(format: ", mean %.2f", $0) } ?? "")
                         + (r.bias.map { String(format: ", bias %+.3f", $0) } ?? ""))
            if !r.attributes.isEmpty {
                lines.append("attributes: " + r.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            }
            return lines.joined(separator: "\n")
        }
    }
}
