import ArgumentParser

/// `mfreliability`: drives the real mfd through SIGKILLs, hostile input,
/// concurrent load and other users' access, and checks what it must not lose
/// or allow (docs/reliability.md). Each subcommand prints a one-line JSON
/// report and exits non-zero on any failure. Measurement is `mfbench`'s job.
@main
struct MFReliability: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfreliability",
        abstract: "Crash, fuzz, load and access harnesses for mfd.",
        subcommands: [CrashCommand.self, FuzzCommand.self, LoadCommand.self, AccessCommand.self, AccessClientCommand.self,
                      StoreWriterCommand.self])
}
