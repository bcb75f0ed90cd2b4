import ArgumentParser
import MFCtlKit
import MFProtocol

struct AddUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-user", abstract: "Create a user or set attributes.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "User ID.") var user: Int64
    @Option(name: .customLong("attr"), help: "name=value (a number or a category); repeatable.") var attrs: [String] = []

    func validate() throws { _ = try usage { () throws(UsageError) in try Arguments.attributes(attrs) } }

    func run() async throws {
        try await global.run(AddUserRequest(user: user, attributes: try usage { () throws(UsageError) in try Arguments.attributes(attrs) })) {
            $0.created ? "created user \($0.user)" : "updated user \($0.user)"
        }
    }
}
