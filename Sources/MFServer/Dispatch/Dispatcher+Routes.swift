import MFProtocol
import NIOCore

extension Dispatcher {
    /// One case per operation: reads inline, writes and admin work via `later`.
    /// `progress` (the request asked for progress lines) follows the long operations.
    func route(_ request: Request, id: RequestID, context c: RequestContext, progress: OperationProgress? = nil) -> LineReply {
        let e = engine
        let op = request.op
        if e.isLoading, let reply = routeWhileLoading(request, id: id, context: c, progress: progress) { return reply }
        progress?.set(ProgressReport(stage: "running"))
        if op.access == .write, let importing = e.ledger.dataCommit {
            // The import's transaction holds the store's writer, maybe for minutes: say so rather than stall.
            return now(op, id, c) { () throws -> CloseResult in throw Self.busy(importing) }
        }
        switch request {
        case .hello: return now(op, id, c) { e.hello() }
        case .ping: return now(op, id, c) { PingResult() }
        case .status:
            return now(op, id, c) { e.status(connections: self.openConnections, requests: self.counters.byOp, errors: self.counters.errors) }
        case .recommend(let r): return recommend(r, id: id, context: c)
        case .predict(let r): return now(op, id, c) { e.predict(r) }
        case .similarItems(let r): return now(op, id, c) { try e.similarItems(r) }
        case .similarUsers(let r): return now(op, id, c) { try e.similarUsers(r) }
        case .user(let r): return now(op, id, c) { try e.user(r) }
        case .item(let r): return now(op, id, c) { try e.item(r) }
        case .trainStatus(let r): return now(op, id, c) { try e.trainStatus(r.job) }
        case .getConfig: return now(op, id, c) { e.getConfig() }
        case .importBegin(let r): return now(op, id, c) { try e.importBegin(r, connection: c.connectionID) }
        // Decoding a chunk and writing it to the spool file run on a task: an event loop never waits on the disk.
        case .importChunk(let r): return later(op, id, c) { try e.importChunk(r, connection: c.connectionID) }
        case .importAbort(let r): return now(op, id, c) { try e.importAbort(r.token, connection: c.connectionID) }
        case .importReceipt(let r): return later(op, id, c) { try await e.importReceipt(r.token) }
        case .importStatus(let r): return later(op, id, c) { try await e.importStatus(r.token) }
        case .addRating(let r): return queued(op, id, c) { try e.addRating(r, on: c.eventLoop) }
        case .addRatings(let r): return queued(op, id, c) { try e.addRatings(r, on: c.eventLoop) }
        case .deleteRating(let r): return later(op, id, c) { try await e.deleteRating(r) }
        case .deleteUser(let r): return later(op, id, c) { try await e.deleteUser(r) }
        case .foldIn(let r): return later(op, id, c) { try await e.foldIn(r) }
        case .addUser(let r): return later(op, id, c) { try await e.addUser(r) }
        case .addItem(let r): return later(op, id, c) { try await e.addItem(r) }
        case .train(let r): return later(op, id, c) { try await e.train(wait: r.wait, search: r.search, progress: progress) }
        case .setConfig(let r): return later(op, id, c) { try await e.setConfig(r) }
        case .importCommit(let r):
            return taking(op, id, c, { () throws -> ImportSessions.Session in
                let session = try e.imports.take(r.token, connection: c.connectionID)
                progress?.follow(session.progress)
                return session
            }) { try await e.importCommit($0, reloadInBackground: true) }
        case .evaluate(let r): return later(op, id, c) { try await e.evaluate(r, progress: progress) }
        case .metrics:
            return now(op, id, c) { e.metricsText(connections: self.openConnections) }
        case .tune(let r): return later(op, id, c) { try await e.tune(r, progress: progress) }
        case .importModelBegin(let r): return now(op, id, c) { try e.importModelBegin(r, connection: c.connectionID) }
        case .importModelRows(let r): return later(op, id, c) { try e.importModelRows(r, connection: c.connectionID) }
        case .importModelCommit(let r):
            return taking(op, id, c, { () throws -> ModelImportSessions.Session in
                let session = try e.modelImports.take(r.token, connection: c.connectionID)
                progress?.follow(session.progress)
                return session
            }) { try await e.recordedModelCommit(r.token, $0) }
        case .exportBegin(let r):
            progress?.set(ProgressReport(stage: "export_begin"))
            return later(op, id, c) { try await e.exportBegin(r, connection: c.connectionID) }
        case .exportNext(let r):
            progress?.set(ProgressReport(stage: "export_next", export: r.export))
            return later(op, id, c) { try await e.exportNext(r, connection: c.connectionID) }
        case .exportEnd(let r): return now(op, id, c) { try e.exportEnd(r.token, connection: c.connectionID) }
        }
    }

    /// Takes an import session for its commit while the request is routed, so
    /// a commit once routed is not aborted by its connection closing, then
    /// commits it on a task; a token that is not the connection's is answered at once.
    func taking<S: Sendable, R: Encodable & Sendable>(_ op: Op, _ id: RequestID, _ c: RequestContext, _ take: () throws -> S,
                                                      _ commit: @escaping @Sendable (S) async throws -> R) -> LineReply {
        let session: S
        do { session = try take() } catch {
            return now(op, id, c) { () throws -> R in throw error }
        }
        return later(op, id, c) { try await commit(session) }
    }
}

extension Dispatcher {
    /// The refusal of a write while an import's commit holds the store's writer.
    static func busy(_ importing: ImportStatus) -> WireError {
        let p = importing.progress
        let how = p.map { $0.stage + ($0.fraction.map { " \(Int($0 * 100))%" } ?? "") } ?? "committing"
        return WireError(.busy, "an import of \(importing.kind.rawValue) (\(importing.import)) is committing (\(how)); "
                         + "writes are refused until it ends: retry in a few seconds")
    }
}
