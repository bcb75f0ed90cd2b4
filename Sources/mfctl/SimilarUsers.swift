import ArgumentParser
import Foundation
import MFCtlKit
import MFProtocol

struct SimilarUsers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "similar-users", abstract: "Users most similar to a user.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "User ID.") var user: Int64
    @Option(name: .short, help: "How many users.") var n = 10

    func run() async throws {
        try await global.run(SimilarUsersRequest(user: user, n: n)) { r in
            Table.render(header: ["#", "user", "score"],
                         rows: r.users.enumerated().map { ["\($0 + 1)", "\($1.user)", String(format: "%.3f", $1.score)] },
                         right: [0, 1, 2], width: Table.terminalWidth())
        }
    }
}
