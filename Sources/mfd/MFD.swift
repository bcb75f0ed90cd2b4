import ArgumentParser
import MFCore
import MFDKit
import MFProtocol

/// `mfd`: the matrix-factorization recommender daemon.
@main
struct MFD: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfd",
        abstract: "Matrix-factorization recommender daemon serving line-delimited JSON over a Unix socket.",
        discussion: """
            Every option can also be set in the environment (shown in brackets); a flag wins over \
            the environment, which wins over the default. Under systemd, a socket passed with \
            LISTEN_FDS is adopted instead of --socket, READY=1/STOPPING=1 go to NOTIFY_SOCKET and \
            the watchdog is pinged when WATCHDOG_USEC is set. SIGTERM or SIGINT drains and stops \
            mfd (exit 0); SIGHUP is logged and changes nothing (settings are read at start). The training and retrain options \
            (--model, --factors, --iterations, --alpha, --user/item-attr-weight, --retrain, \
            --retrain-changes, --retrain-interval, --holdout-fraction) are saved in the database's \
            stored configuration, as `mfctl config` does, and stay in effect on later starts until changed. \
            Training and scoring use AVX2/FMA kernels when the CPU has them and portable ones otherwise, \
            chosen at start; [MFD_KERNELS=portable] forces the portable ones, and `mfd --version` names the path.
            """,
        version: "mfd 0.1.0 (kernels: \(KernelPath.active.summary))")

    @OptionGroup var options: DaemonOptions

    func validate() throws {
        if let problem = RawArguments.nonUTF8Problem(RawArguments.current) { throw ValidationError(problem) }
    }

    func run() async throws {
        let settings: DaemonSettings
        do {
            settings = try DaemonSettings(options: options, environment: environmentSnapshot())
        } catch {
            throw ValidationError("\(error)")
        }
        try await Daemon(settings: settings).run()
    }
}
