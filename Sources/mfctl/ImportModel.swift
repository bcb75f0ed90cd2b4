import ArgumentParser
import Foundation
import MFClient
import MFProtocol

struct ImportModel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-model",
        abstract: "Import an externally trained model (e.g. contrib/spark/train_als.py output).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Model directory: manifest.json, users.csv, items.csv (docs/scale-out.md).", completion: .directory) var dir: String

    func validate() throws {
        for f in ["manifest.json"] {
            let p = PathText.appending(f, to: dir)
            guard FileManager.default.isReadableFile(atPath: p) else { throw ValidationError("cannot read \(p)") }
        }
    }

    func run() async throws {
        let bar = Progress(label: "import-model")
        let r = try await global.withClient { client throws(MFClientError) in
            try await client.importModel(dir: dir, progress: { bar.update(Int64($0), Int64($1)) }, commitProgress: { bar.update($0) })
        }
        bar.finish()
        if global.json { return printJSON(r.json) }
        print("model \(r.modelID): \(r.users) users, \(r.items) items, k=\(r.factors); replayed \(r.replayed) newer ratings")
        if let job = r.rankerJob {
            print("serving it now; its ranker trains in job \(job) (mfctl job \(job) --wait), then recommend ranks as mfd's own models")
        }
    }
}
