import Foundation
import MFTestSupport
import Testing

/// README's "Using it" examples (the block after its `readme-using-it` marker),
/// each run as written against a demo daemon: every ID they name exists in the
/// demo catalogue, and every command exits 0.
@Suite struct ReadmeExamplesTests {
    static let marker = "<!-- readme-using-it:"

    /// The block's commands, one argument list each (`;` separates two; `#` starts a comment).
    static func commands() throws -> [[String]] {
        let readme = try String(contentsOf: Tools.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let mark = readme.range(of: marker),
              let open = readme[mark.upperBound...].range(of: "```sh\n"),
              let close = readme[open.upperBound...].range(of: "```") else {
            throw TestFailure("README.md has no \(marker) marker followed by a sh block")
        }
        return readme[open.upperBound..<close.lowerBound].split(separator: "\n").flatMap { line in
            let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            return code.components(separatedBy: " ; ").map { $0.split(separator: " ").map(String.init) }.filter { !$0.isEmpty }
        }
    }

    @Test func everyUsingItExampleRunsAgainstTheDemo() throws {
        let env = try MfctlDemoTests.Env()
        defer { env.stop() }
        // The file `mfctl import ratings ratings.csv` reads, in the directory the commands run in.
        _ = try env.file("ratings.csv", "userId,movieId,rating\n42,3465,4\n9001,1826,3.5\n")
        let commands = try Self.commands()
        #expect(commands.count >= 15, "\(commands)")
        for command in commands {
            #expect(command.first == "mfctl", "\(command)")
            let r = try ChildProcess.run(Tools.mfctl, Array(command.dropFirst()) + ["--socket", env.dir.socket],
                                         environment: ["PATH": "/usr/bin:/bin", "HOME": env.dir.path], directory: env.dir.path,
                                         timeout: 600)
            #expect(r.status == 0, "\(command.joined(separator: " ")): \(r)")
            if command.starts(with: ["mfctl", "similar"]) {
                // Titled neighbours with real scores, not a list of zeros.
                let rows = r.stdout.split(separator: "\n").dropFirst()
                #expect(!rows.isEmpty && rows.allSatisfy { !$0.hasSuffix(" 0.000") }, "\(r)")
            }
        }
    }
}
