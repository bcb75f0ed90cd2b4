import ArgumentParser

/// `mfbench`: accuracy, speed and latency measurements for mfd.
@main
struct MFBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfbench",
        abstract: "Benchmarks for mfd's matrix-factorization core and daemon.",
        subcommands: [EvalCommand.self, LatencyCommand.self, TuneCommand.self])
}
