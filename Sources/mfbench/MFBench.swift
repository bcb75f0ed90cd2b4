import ArgumentParser
import MFCore

/// `mfbench`: accuracy, speed and latency measurements for mfd (the crash,
/// fuzz, load and access harnesses are `mfreliability`'s).
@main
struct MFBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfbench",
        abstract: "Benchmarks for mfd's matrix-factorization core and daemon.",
        version: "mfbench 0.1.0 (kernels: \(KernelPath.active.summary))",
        subcommands: [EvalCommand.self, LatencyCommand.self, ColdStartCommand.self, ServeCommand.self, DecodeBenchCommand.self, TuneCommand.self, StoreCommand.self])
}
