import ArgumentParser
import Foundation
import MFClient
import MFProtocol

extension ImportKind: ExpressibleByArgument {}
extension ImportFormat: ExpressibleByArgument {}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stream a ratings, items or users file to the daemon (atomic).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "ratings, items or users.") var kind: ImportKind
    @Argument(help: "File to read (read by mfctl, never by the daemon).", completion: .file()) var file: String
    @Option(help: "auto, movielens, ml100k, ml1m or csv.") var format: ImportFormat = .auto
    @Flag(help: "Skip bad lines (reported) instead of failing.") var skipBad = false

    func validate() throws {
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
    }

    func run() async throws {
        let bar = Progress(label: "import \(PathText.lastComponent(of: file))")
        let r = try await global.withClient { client throws(MFClientError) in
            try await client.importFile(file, kind: kind, format: format, skipBad: skipBad) { bar.update($0) }
        }
        bar.finish()
        if global.json { return printJSON(r.json) }
        print("imported \(r.imported) \(r.kind.rawValue) from \(r.lines) lines (\(r.format.rawValue)), skipped \(r.skipped), "
              + String(format: "%.2f s", r.durationSeconds))
        for issue in r.issues { print("  line \(issue.line): \(issue.code.rawValue): \(issue.message)") }
    }
}
