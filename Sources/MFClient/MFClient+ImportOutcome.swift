import Foundation
import MFProtocol

extension MFClient {
    /// After the connection closed during `import_commit` (mfd stopped or died,
    /// or the connection broke), asks mfd at `socket`, once one answers again
    /// (within `timeout`, at least 60 s), how the import ended (`import_status`),
    /// polling while it still commits: its result when it committed, else
    /// `import_failed` saying why nothing was stored.
    static func outcome(of token: String, socket: String, timeout: Double,
                        progress: @escaping @Sendable (ProgressReport) -> Void) async throws(MFClientError) -> RawResult<ImportCommitResult> {
        let deadline = ContinuousClock.now + .seconds(max(timeout, 60))
        while true {
            let client: MFClient
            do throws(MFClientError) {
                client = try await connect(path: socket, timeout: timeout)
            } catch {
                guard case .unreachable = error, ContinuousClock.now < deadline else { throw error }
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            defer { Task { await client.close() } }
            do throws(MFClientError) {
                while true {
                    let status = try await client.send(ImportStatusRequest(token: token))
                    switch status.state {
                    case .committed:
                        guard let r = status.result else { throw .badResponse("import \(token) committed without a result") }
                        return RawResult(value: r, json: (try? StreamingJSONEncoder().encode(r)) ?? [])
                    case .failed, .aborted:
                        throw .daemon(status.error ?? WireError(.importFailed, "import \(token) \(status.state.rawValue): nothing was stored"))
                    case .receiving, .committing:
                        if let p = status.progress { progress(p) }
                        // A poll interval: each answer comes at once, so the timeout's silence never runs out.
                        try? await Task.sleep(for: .seconds(ProgressCadence.seconds))
                    }
                }
            } catch {
                switch error {
                case .daemon(let e) where e.code == .notFound:
                    throw .daemon(WireError(.importFailed, "mfd closed the connection during the commit and the import did not commit: "
                                            + "nothing was stored; run it again"))
                case .connectionClosed where ContinuousClock.now < deadline:
                    continue
                default:
                    throw error
                }
            }
        }
    }
}
