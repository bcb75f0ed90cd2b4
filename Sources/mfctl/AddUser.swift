import ArgumentParser
import MFProtocol

struct AddUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-user", abstract: "Create a user or set attributes.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "User ID.") var user: Int64
    @Option(name: .customLong("attr"), help: "name=value (a number or a category); repeatable.") var attrs: [String] = []

    /// `age=25` → number, `job=writer` → string.
    static func parseAttributes(_ attrs: [String]) throws -> [String: AttributeValue] {
        var out: [String: AttributeValue] = [:]
        for a in attrs {
            guard let eq = a.firstIndex(of: "="), eq != a.startIndex else { throw ValidationError("expected name=value, got '\(a)'") }
            let value = String(a[a.index(after: eq)...])
            if let d = Double(value), d.isFinite { out[String(a[..<eq])] = .number(d) } else { out[String(a[..<eq])] = .string(value) }
        }
        return out
    }

    func validate() throws { _ = try Self.parseAttributes(attrs) }

    func run() async throws {
        try await global.run(AddUserRequest(user: user, attributes: try Self.parseAttributes(attrs))) {
            $0.created ? "created user \($0.user)" : "updated user \($0.user)"
        }
    }
}
