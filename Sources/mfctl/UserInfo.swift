import ArgumentParser
import Foundation
import MFCtlKit
import MFProtocol

struct UserInfo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Details of a user.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "User ID.") var user: Int64

    func run() async throws {
        try await global.run(UserRequest(user: user)) { r in
            var lines = ["user \(r.user): \(r.ratings) ratings" + (r.mean.map { String(format: ", mean %.2f", $0) } ?? "")
                         + (r.bias.map { String(format: ", bias %+.3f", $0) } ?? "") + (r.foldedIn ? ", folded in" : "")]
            if !r.attributes.isEmpty {
                lines.append("attributes: " + r.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            }
            if !r.topRated.isEmpty {
                lines.append(Table.render(header: ["item", "rating", "title"],
                                          rows: r.topRated.map { ["\($0.item)", JSONText.number($0.rating), $0.title ?? ""] },
                                          flex: [2], right: [0, 1], width: Table.terminalWidth()))
            }
            return lines.joined(separator: "\n")
        }
    }
}
