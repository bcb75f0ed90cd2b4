import MFProtocol
import NIOCore

extension Dispatcher {
    /// While the engine loads after a start: `ping`, `status`, `metrics`, `get_config`,
    /// `train_status` and `import_status` run as usual (nil); `hello`, `similar_items`, `recommend`
    /// and `predict` answer from the stored model once it is read
    /// (`Engine.recommendWhileLoading`); everything else, writes among them,
    /// waits for the load to end and then runs as usual.
    ///
    /// While it reloads after an import (`LoadGate.isReload`) the snapshot
    /// from before the import is complete: every read runs on it as usual,
    /// writes are refused with `busy` (the reload replaces the lists they
    /// would change), and admin requests wait for the reload to end.
    func routeWhileLoading(_ request: Request, id: RequestID, context c: RequestContext,
                           progress: OperationProgress? = nil) -> LineReply? {
        let e = engine
        if e.loading.isReload {
            switch request.op.access {
            case .read: return nil
            case .write: return now(request.op, id, c) { () throws -> CloseResult in throw Self.busyReloading(e.loading.progress) }
            case .admin: break
            }
        }
        switch request {
        case .ping, .status, .metrics, .getConfig, .trainStatus, .importStatus:
            return nil
        case .hello:
            // Names the model the daemon serves: the stored one, once read.
            return later(.hello, id, c) { await e.loading.modelStage.wait(); return e.hello() }
        case .similarItems(let r):
            return later(.similarItems, id, c) {
                await e.loading.modelStage.wait()
                // An item the loading data may bring (an import's) waits for it.
                if e.snapshot.items[r.item] == nil { try await e.loaded() }
                return try e.similarItems(r)
            }
        case .recommend(let r):
            return later(.recommend, id, c) { try await e.recommendWhileLoading(r) }
        case .predict(let r):
            return later(.predict, id, c) { try await e.predictWhileLoading(r) }
        default:
            // Until the load ends, a request that asked for progress reports the load's.
            progress?.follow {
                let l = e.loading.progress
                return ProgressReport(stage: "loading: " + (l?.stage ?? "done"), done: Int64(l?.done ?? 0), total: Int64(l?.total ?? 0))
            }
            let promise = c.eventLoop.makePromise(of: Void.self)
            promise.completeWithTask { try await e.loaded() }
            return .later(promise.futureResult.flatMap { _ in self.routedLater(request, id: id, context: c, progress: progress) }
                .flatMapErrorThrowing { [encoder] error in
                self.counters.count(request.op, failed: true)
                return Self.trimmed(encoder.failure(id: id, WireError(engine: error)), c.allocator)
            })
        }
    }
}

extension Dispatcher {
    /// The refusal of a write while the lists reload after an import.
    static func busyReloading(_ stage: LoadingInfo?) -> WireError {
        let how = stage.map { $0.stage + ($0.total > 0 ? " \(Int(Double($0.done) * 100 / Double($0.total)))%" : "") } ?? "reloading"
        return WireError(.busy, "an import committed and mfd is reloading its rating lists (\(how)); reads answer from the data "
                         + "before the import, writes are refused until the reload ends: retry in a few seconds (mfctl status shows `loading`)")
    }
}
