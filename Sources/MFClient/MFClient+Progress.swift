import MFProtocol
import Synchronization

extension MFClient {
    /// Sends a long operation (`import_commit`, `train` with `wait`, `tune`,
    /// `evaluate`, …) asking for progress lines, and hands each to `progress`.
    /// mfd sends one at least every second while it works, so the client's
    /// timeout, the longest silence it accepts, holds however long the work takes.
    ///
    /// If the connection ends first (silence past the timeout, or a close) once
    /// the operation's id is known (`job`, or the `import`/`job` a progress line
    /// named), the error is `.unsettled` with that id: the work goes on in mfd,
    /// and `import_status` or `train_status` tells how it ends.
    public func sendLong<O: WireOperation>(_ operation: O, job known: String? = nil,
                                           progress: @escaping @Sendable (ProgressReport) -> Void = { _ in })
        async throws(MFClientError) -> RawResult<O.Result> {
        let job = Mutex<String?>(known)
        do {
            return try await sendKeepingJSON(operation) { report in
                if let id = report.import ?? report.job.map({ String($0) }) { job.withLock { $0 = id } }
                progress(report)
            }
        } catch {
            switch error {
            case .timeout, .connectionClosed:
                if let id = job.withLock({ $0 }) { throw .unsettled(job: id, cause: error) }
                throw error
            default:
                throw error
            }
        }
    }
}
