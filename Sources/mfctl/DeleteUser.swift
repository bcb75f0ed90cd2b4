import ArgumentParser
import MFProtocol

struct DeleteUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete-user", abstract: "Delete a user's ratings, attributes and factors.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "User ID.") var user: Int64

    func run() async throws {
        try await global.run(DeleteUserRequest(user: user)) { "deleted user \(user) and \($0.ratingsDeleted) ratings (seq \($0.seq))" }
    }
}
