import ArgumentParser
import MFProtocol

struct Ping: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check that the daemon answers.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run(PingRequest()) { _ in "pong" }
    }
}
