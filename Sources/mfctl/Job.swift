import ArgumentParser
import Foundation
import MFClient
import MFProtocol

/// `mfctl job ID`: a training/tune job (`train_status`) or an import (`import_status`):
/// where it is, or how it ended. Exits 1 when it failed or was aborted.
struct Job: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Where a train/tune job or an import is, or how it ended (e.g. after mfctl lost its connection).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A job number (train, tune, ranker) or an import token (imp-…, mod-…).") var id: String
    @Flag(help: "For a job number: return when the job has ended (asks every 0.2 s), e.g. the ranker job import-model starts.")
    var wait = false

    func validate() throws {
        guard Int64(id) != nil || id.hasPrefix("imp-") || id.hasPrefix("mod-") else {
            throw ValidationError("\(id) is neither a job number nor an import token (imp-… or mod-…)")
        }
    }

    func run() async throws {
        let failed: Bool
        if let job = Int64(id) {
            let r = try await global.withClient { client throws(MFClientError) in
                var r = try await client.sendKeepingJSON(TrainStatusRequest(job: job))
                while wait, r.state == .queued || r.state == .running {
                    try? await Task.sleep(for: .milliseconds(200))
                    r = try await client.sendKeepingJSON(TrainStatusRequest(job: job))
                }
                return r
            }
            if global.json { printJSON(r.json) } else { print(Self.describe(r.value)) }
            failed = r.state == .failed || r.state == .cancelled
        } else {
            let r = try await global.withClient { client throws(MFClientError) in try await client.sendKeepingJSON(ImportStatusRequest(token: id)) }
            if global.json { printJSON(r.json) } else { print(Self.describe(r.value)) }
            failed = r.state == .failed || r.state == .aborted
        }
        if failed { throw CtlExit(code: MFProtocol.ExitCode.daemonError) }
    }

    static func describe(_ j: JobInfo) -> String {
        var text = "job \(j.job) (\(j.kind.rawValue)): \(j.state.rawValue)"
        if let stage = j.stage, j.state == .running || j.state == .queued { text += ", \(stage) (\(Int(j.progress * 100))%)" }
        if let m = j.modelID { text += ", model \(m)" }
        if let met = j.metrics { text += String(format: ", train RMSE %.4f, %.1f s", met.trainRMSE, met.durationSeconds) }
        if let e = j.error { text += ": \(e.code.rawValue): \(e.message)" }
        return text
    }

    static func describe(_ s: ImportStatus) -> String {
        var text = "import \(s.import) (\(s.kind.rawValue)): \(s.state.rawValue)"
        if !s.state.isFinal, let p = s.progress { text += ", " + stage(p) }
        if let r = s.result {
            text += ": imported \(r.imported) \(r.kind.rawValue) from \(r.lines) lines (\(r.format.rawValue)), skipped \(r.skipped), "
                + String(format: "%.2f s", r.durationSeconds)
        }
        if let m = s.model { text += ": model \(m.modelID), \(m.users) users, \(m.items) items, k=\(m.factors)" }
        if let e = s.error { text += ": \(e.code.rawValue): \(e.message)" + (e.field.map { " (\($0))" } ?? "") }
        return text
    }

    /// "write 62%" or "commit".
    static func stage(_ p: ProgressReport) -> String {
        p.stage + (p.fraction.map { " \(Int($0 * 100))%" } ?? "")
    }
}
