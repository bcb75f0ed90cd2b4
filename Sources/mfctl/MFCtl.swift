import ArgumentParser
import Foundation
import MFProtocol

/// mfctl: the command-line client of mfd. Exit codes: 0 ok, 1 daemon error, 2 usage, 3 unreachable, 4 timeout.
struct MFCtl: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "mfctl",
        abstract: "Talk to the mfd recommender daemon.",
        discussion: "Exit codes: 0 ok, 1 the daemon answered with an error, 2 usage, 3 daemon unreachable, 4 timeout.",
        version: "mfctl \(version) (protocol \(WireProtocol.version))",
        subcommands: [
            Recommend.self, Predict.self, Similar.self, SimilarUsers.self, UserInfo.self, ItemInfo.self,
            AddRating.self, DeleteRating.self, DeleteUser.self, FoldIn.self, AddUser.self, AddItem.self,
            Import.self, ImportModel.self, Export.self, Plot.self, Config.self, Train.self, Tune.self, Evaluate.self, Status.self, Job.self, Metrics.self, Ping.self,
        ]
    )
}

@main
enum Main {
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        if let problem = RawArguments.nonUTF8Problem(RawArguments.current) {
            FileHandle.standardError.write(Data("mfctl: \(problem)\n".utf8))
            exit(MFProtocol.ExitCode.usage)
        }
        do {
            var command = try MFCtl.parseAsRoot()
            if var async = command as? any AsyncParsableCommand { try await async.run() } else { try command.run() }
        } catch let e as CtlExit {
            exit(e.code)
        } catch {
            let message = MFCtl.fullMessage(for: error)
            if MFCtl.exitCode(for: error) == .success {
                print(message)
                exit(0)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            exit(MFProtocol.ExitCode.usage)
        }
    }
}

/// Ends mfctl with an exit code after the message has been printed.
struct CtlExit: Error { var code: Int32 }
