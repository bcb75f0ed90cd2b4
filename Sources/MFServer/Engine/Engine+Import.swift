import Foundation
import Synchronization
import MFProtocol
import MFStore

extension Engine {
    /// `import_begin`: opens a session owned by `connection` (the request's
    /// `RequestContext.connectionID`; 0 for a caller without a connection) and
    /// its spool file, created mode 0600 in the private spool directory.
    public func importBegin(_ r: ImportBeginRequest, connection: UInt64 = 0) throws -> ImportBeginResult {
        try imports.begin(r, connection: connection)
    }

    /// `import_chunk`: appends to the spool file of a session `connection` began; any other token is `not_found`.
    public func importChunk(_ r: ImportChunkRequest, connection: UInt64 = 0) throws -> ImportChunkResult {
        try imports.chunk(r, connection: connection)
    }

    /// `import_abort`: drops an import or model-import session `connection`
    /// began (with its spool file); any other token is `not_found`.
    public func importAbort(_ token: String, connection: UInt64 = 0) throws -> CloseResult {
        guard imports.abort(token, connection: connection) || modelImports.abort(token, connection: connection) else {
            throw WireError(.notFound, "no open import \"\(token)\"", field: "import")
        }
        return CloseResult()
    }

    /// `import_receipt`: what `import_commit` answered for `token`, from the
    /// receipt the import stored in its own transaction (the newest 16 are
    /// kept): whoever lost the answer learns whether the import committed.
    public func importReceipt(_ token: String) async throws -> ImportCommitResult {
        guard let r = try await storedReceipt(token) else {
            if try await storedModelReceipt(token) != nil {
                throw WireError(.notFound, "\(token) is a model import that committed: import_status tells its outcome", field: "import")
            }
            throw WireError(.notFound, "no committed import \(token): it did not commit, or is older than the newest \(Store.importReceiptsKept)",
                            field: "import")
        }
        return r
    }

    /// The receipt `token`'s import of ratings, items or users stored when it committed, if it did.
    func storedReceipt(_ token: String) async throws -> ImportCommitResult? {
        try await store.importReceipt(token).flatMap { try? JSONDecoder().decode(ImportCommitResult.self, from: Data($0.utf8)) }
    }

    /// The receipt `token`'s model import stored with its model, if it committed.
    func storedModelReceipt(_ token: String) async throws -> ImportModelResult? {
        try await store.importReceipt(token).flatMap { try? JSONDecoder().decode(ImportModelResult.self, from: Data($0.utf8)) }
    }

    /// Parses and stores the spooled bytes in one transaction, then reloads the
    /// rating lists and retrains (policy `auto`) or leaves the change pending.
    /// With `reloadInBackground` (the daemon) it returns once the rows are
    /// durable and reloads in a loading phase (`LoadGate.isReload`; 5M ratings:
    /// the reload was half of the import): reads answer from the snapshot from
    /// before the import, all in memory, until the reload publishes the new
    /// one; writes get `busy`; admin requests wait.
    /// The session must be one `connection` began; any other token is `not_found`.
    public func importCommit(_ token: String, connection: UInt64 = 0, reloadInBackground: Bool = false) async throws -> ImportCommitResult {
        try await importCommit(imports.take(token, connection: connection), reloadInBackground: reloadInBackground)
    }

    /// Commits a session already taken (`ImportSessions.take`), then closes it;
    /// `import_status` and `session.progress` follow it (stages `write`, `commit`).
    func importCommit(_ session: ImportSessions.Session, reloadInBackground: Bool) async throws -> ImportCommitResult {
        let token = session.token
        defer { imports.close(token) }
        logger.info("import commit started", metadata: ["import": "\(token)", "kind": "\(session.request.kind.rawValue)",
                                                       "bytes": "\(session.bytes)"])
        return try await recordingCommit(token) {
            try await commitSpooled(session, reloadInBackground: reloadInBackground)
        } committed: { ledger.move(token, to: .committed, result: $0) }
    }

    private func commitSpooled(_ session: ImportSessions.Session, reloadInBackground: Bool) async throws -> ImportCommitResult {
        let token = session.token
        let start = Date()
        let req = session.request
        var options = ImportOptions(format: Self.storeFormat(req.kind, req.format), sourceName: req.name ?? token, skipBad: req.skipBad)
        options.maxReportedIssues = 20
        options.ratingScale = scale
        // The answer is made once, inside the import's transaction, and stored there as its receipt.
        let answer = Mutex<ImportCommitResult?>(nil)
        options.receipt = (token, { [self] report in
            let r = result(report, kind: Self.kind(of: report.format), requested: req.format, start: start)
            answer.withLock { $0 = r }
            return Self.receiptText(r)
        })
        let progress = session.progress
        options.beforeCommit = { [self] in
            progress.set(stage: "commit")
            testDelayBlocking(.importCommit)
        }
        let report = try await store.importData(Self.fileChunks(session.path), options: options) { p in
            progress.advance(done: Int64(p.bytes))
        }
        let kind = Self.kind(of: report.format)
        logger.info("import committed", metadata: ["import": "\(token)", "kind": "\(kind)", "rows": "\(report.rows)",
                                                   "skipped": "\(report.skipped)", "seconds": "\(Date().timeIntervalSince(start))"])
        if reloadInBackground {
            loading.restart("rating lists")
            Task { await self.reloadInLoadingPhase(kind: kind, rows: report.rows) }
        } else {
            try await reloadAfterImport(kind: kind, rows: report.rows)
        }
        return answer.withLock { $0 } ?? result(report, kind: kind, requested: req.format, start: start)
    }

    /// The lists from the store again, then the retrain policy; ends a loading phase if one runs.
    private func reloadInLoadingPhase(kind: ImportKind, rows: Int) async {
        await configuration.beforeImportReload?()
        do { try await reloadAfterImport(kind: kind, rows: rows) } catch {
            // The rows are stored; memory keeps what it had until the next start or import.
            logger.error("reload after an import failed", metadata: ["error": "\(error)"])
        }
        loading.finish(.success(()))
    }

    private func reloadAfterImport(kind: ImportKind, rows: Int) async throws {
        var replaced: EngineSnapshot? = snapshot  // serves every read until the reload publishes
        try await reload()
        let published = ContinuousClock.now
        await Self.dropHere(&replaced)
        let dropped = ContinuousClock.now
        store.releaseMemory()  // the import filled the writer's page cache
        Heap.trim()
        logger.info("reload after an import published", metadata: [
            "free_old_seconds": "\((dropped - published).inSeconds)", "trim_seconds": "\(Self.seconds(since: dropped))"])
        if kind == .ratings, rows > 0, trainingSettings.retrain == .auto {
            _ = try? startTraining(reason: "import of \(rows) ratings")
        }
    }

    /// Releases `old` (a replaced snapshot: every user's lists, at 25M ratings
    /// half a million blocks to free, 0.14–0.43 s) on `BackgroundThread`
    /// rather than on the event loop whose read happened to hold it last:
    /// waits, briefly, for reads still using it to let go.
    static func dropHere(_ old: inout EngineSnapshot?) async {
        var tries = 0
        while !isKnownUniquelyReferenced(&old), tries < 10_000 {
            tries += 1
            await Task.yield()
        }
        let handoff = Handoff(old)
        old = nil
        await BackgroundThread.shared.run { handoff.value = nil }
    }

    /// Carries the last reference to a snapshot to the thread that frees it.
    private final class Handoff: @unchecked Sendable {  // written by one thread at a time: here, then the background thread
        var value: EngineSnapshot?
        init(_ value: EngineSnapshot?) { self.value = value }
    }

    private func result(_ report: ImportReport, kind: ImportKind, requested: MFProtocol.ImportFormat, start: Date) -> ImportCommitResult {
        let format: MFProtocol.ImportFormat = switch report.format {
        case .ml100kData, .ml100kItem, .ml100kUser: .ml100k
        case .ml1mRatings, .ml1mMovies, .ml1mUsers: .ml1m
        default: requested == .csv ? .csv : .movielens
        }
        let issues = report.issues.map { ImportIssue(line: Int64($0.line), code: .importFailed, message: $0.message) }
        let lines = Int64(report.rows + report.skipped) + (format == .movielens || format == .csv ? 1 : 0)
        return ImportCommitResult(kind: kind, format: format, lines: lines, imported: Int64(report.rows),
                                  skipped: Int64(report.skipped), issues: issues, durationSeconds: Date().timeIntervalSince(start))
    }

    static func storeFormat(_ kind: ImportKind, _ format: MFProtocol.ImportFormat) -> MFStore.ImportFormat {
        switch (format, kind) {
        case (.auto, _): .auto
        case (.movielens, .ratings), (.csv, .ratings): .ratingsCSV
        case (.movielens, .items), (.csv, .items): .moviesCSV
        case (.movielens, .users), (.csv, .users): .usersCSV
        case (.ml100k, .ratings): .ml100kData
        case (.ml100k, .items): .ml100kItem
        case (.ml100k, .users): .ml100kUser
        case (.ml1m, .ratings): .ml1mRatings
        case (.ml1m, .items): .ml1mMovies
        case (.ml1m, .users): .ml1mUsers
        }
    }

    static func kind(of f: MFStore.ImportFormat) -> ImportKind {
        switch f {
        case .moviesCSV, .ml100kItem, .ml1mMovies: .items
        case .usersCSV, .ml100kUser, .ml1mUsers: .users
        default: .ratings
        }
    }

    /// The spool file in 256 KiB chunks, read on demand.
    static func fileChunks(_ path: String) -> AsyncThrowingStream<[UInt8], any Error> {
        let reader = SpoolReader(path: path)
        return AsyncThrowingStream(unfolding: { try reader.next() })
    }
}

/// Sequential reads of a spool file (one consumer: the store's import).
private final class SpoolReader: @unchecked Sendable {  // used by one task at a time
    private let handle: FileHandle?
    private let path: String

    init(path: String) { self.path = path; handle = FileHandle(forReadingAtPath: path) }
    deinit { try? handle?.close() }

    func next() throws -> [UInt8]? {
        guard let handle else { throw WireError(.storageFailed, "import spool file \(path) vanished") }
        guard let d = try handle.read(upToCount: 256 << 10), !d.isEmpty else { return nil }
        return [UInt8](d)
    }
}
