import Foundation
import MFProtocol
import MFStore

extension Engine {
    /// `import_status`: an import or model import this daemon knows (open, or
    /// among the newest `ImportLedger.keptFinished` that ended); after a
    /// restart, an import or model import that committed (its receipt).
    public func importStatus(_ token: String) async throws -> ImportStatus {
        if let known = ledger.status(token) { return known }
        if let r = try await storedReceipt(token) {
            return ImportStatus(import: token, kind: ImportTarget(rawValue: r.kind.rawValue) ?? .ratings, state: .committed, result: r)
        }
        if let m = try await storedModelReceipt(token) {
            return ImportStatus(import: token, kind: .model, state: .committed, model: m)
        }
        throw WireError(.notFound, "no import \(token) is known: it never began here, or it ended before the newest "
                        + "\(ImportLedger.keptFinished); after a restart only committed imports and model imports "
                        + "(the newest \(Store.importReceiptsKept)) are known, so an import that had not committed stored nothing",
                        field: "import")
    }

    /// Drops the import, model-import and export sessions `connection` began,
    /// except an import whose commit has begun (it runs to its end): an import
    /// whose data did not all arrive is rolled back. The server calls it when
    /// the connection closes.
    public func connectionClosed(_ connection: UInt64) {
        for session in imports.abort(connection: connection) {
            logger.notice("import aborted: its connection closed before import_commit; nothing was stored",
                          metadata: ["import": "\(session.token)", "kind": "\(session.request.kind.rawValue)",
                                     "bytes_received": "\(session.bytes)", "conn": "\(connection)"])
        }
        let models = modelImports.abort(connection: connection)
        if models > 0 {
            logger.notice("model import aborted: its connection closed before import_model_commit; nothing was stored",
                          metadata: ["conn": "\(connection)", "sessions": "\(models)"])
        }
        let dropped = exports.close(connection: connection)
        if dropped > 0 {
            logger.info("connection closed: its export sessions closed", metadata: ["conn": "\(connection)", "sessions": "\(dropped)"])
        }
    }
}

extension Engine {
    /// Commits a model import already taken (`ModelImportSessions.take`) and
    /// records how it ended for `import_status`.
    func recordedModelCommit(_ token: String, _ session: ModelImportSessions.Session) async throws -> ImportModelResult {
        logger.info("model import commit started", metadata: ["import": "\(token)"])
        await testDelay(.importModelCommit)
        return try await recordingCommit(token) { try await importModelCommit(session, token: token) } committed: {
            ledger.move(token, to: .committed, model: $0)
        }
    }

    /// Runs an import's commit and records its end in the ledger: `committed`
    /// records success, a throw is recorded `failed` (nothing was stored) and logged.
    func recordingCommit<R>(_ token: String, _ commit: () async throws -> R, committed: (R) -> Void) async throws -> R {
        do {
            let r = try await commit()
            committed(r)
            return r
        } catch {
            let wire = WireError(engine: error)
            ledger.move(token, to: .failed, error: wire)
            logger.notice("import failed; nothing was stored", metadata: ["import": "\(token)", "error": "\(wire)"])
            throw error
        }
    }
}
