import ArgumentParser
import MFProtocol

struct Metrics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Prometheus text exposition.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.run(MetricsRequest()) { r in
            r.text.hasSuffix("\n") ? String(r.text.dropLast()) : r.text
        }
    }
}
