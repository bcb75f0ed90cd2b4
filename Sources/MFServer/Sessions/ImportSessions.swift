import Foundation
import MFProtocol
import Synchronization

/// Open `import_*` sessions. Chunks are spooled to a file the daemon creates
/// itself in its private spool directory, so the store's single writer is
/// held only during `import_commit`, not while a client uploads.
///
/// A session belongs to the connection that began it: a token from another
/// connection is answered as unknown, and `abort(connection:)` drops the
/// connection's sessions when it closes.
final class ImportSessions: Sendable {
    final class Session: @unchecked Sendable {  // mutated only under ImportSessions.state's lock
        let token: String
        /// The connection that began it (`RequestContext.connectionID`; 0 for a caller without one).
        let connection: UInt64
        let request: ImportBeginRequest
        let path: String
        let handle: FileHandle
        /// Bytes received while open, then the commit's stages (`import_status`, progress lines).
        let progress: OperationProgress
        var bytes: Int64 = 0
        var lines: Int64 = 0
        var committing = false
        /// Last begin/chunk; sessions idle longer than `idleLimit` are dropped (a client that vanished).
        var lastUse = Date()

        init(token: String, connection: UInt64, request: ImportBeginRequest, path: String, handle: FileHandle) {
            self.token = token; self.connection = connection; self.request = request; self.path = path; self.handle = handle
            progress = OperationProgress(ProgressReport(stage: "receiving", total: request.size ?? 0, import: token))
        }
    }

    private let state = Mutex<[String: Session]>([:])
    let limit: Int
    let spool: SpoolDirectory
    let ledger: ImportLedger
    static let maxChunkBytes = 256 << 10
    static let idleLimit: TimeInterval = 600

    init(limit: Int, spool: SpoolDirectory, ledger: ImportLedger) { self.limit = limit; self.spool = spool; self.ledger = ledger }

    func begin(_ r: ImportBeginRequest, connection: UInt64) throws -> ImportBeginResult {
        dropIdle()
        return try state.withLock { open in
            guard open.count < limit else {
                throw WireError(.busy, "\(open.count) import sessions are open (limit \(limit)); retry later")
            }
            let token = SessionToken.make("imp")
            let file = try spool.createFile()
            let session = Session(token: token, connection: connection, request: r, path: file.path, handle: file.handle)
            open[token] = session
            ledger.open(token, kind: ImportTarget(rawValue: r.kind.rawValue) ?? .ratings, progress: session.progress)
            return ImportBeginResult(import: token, maxChunkBytes: Self.maxChunkBytes)
        }
    }

    func chunk(_ r: ImportChunkRequest, connection: UInt64) throws -> ImportChunkResult {
        let bytes = try r.bytes()
        guard bytes.count <= Self.maxChunkBytes else {
            throw WireError(.invalidValue, "chunk of \(bytes.count) bytes exceeds max_chunk_bytes \(Self.maxChunkBytes)", field: "data")
        }
        return try state.withLock { open in
            let session = try Self.usable(open, r.import, connection)
            if let off = r.offset, off != session.bytes {
                throw WireError(.invalidValue, "offset \(off) does not match the \(session.bytes) bytes received", field: "offset")
            }
            do { try session.handle.write(contentsOf: bytes) } catch {
                throw WireError(.storageFailed, "cannot spool the import: \(error.localizedDescription)")
            }
            session.bytes += Int64(bytes.count)
            session.lastUse = Date()
            session.lines += Int64(bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) })
            session.progress.advance(done: session.bytes)
            return ImportChunkResult(bytes: session.bytes, lines: session.lines)
        }
    }

    /// Takes the session for committing (no more chunks, and closing its
    /// connection no longer aborts it); the caller must `close` it.
    func take(_ token: String, connection: UInt64) throws -> Session {
        try state.withLock { open in
            let session = try Self.usable(open, token, connection)
            session.committing = true
            try? session.handle.close()
            session.progress.set(stage: "write", done: 0, total: session.bytes)
            ledger.move(token, to: .committing)
            return session
        }
    }

    /// An open, not committing session of `connection`; anything else is
    /// `not_found`, so a token says nothing to another connection.
    private static func usable(_ open: [String: Session], _ token: String, _ connection: UInt64) throws -> Session {
        guard let session = open[token], session.connection == connection, !session.committing else {
            throw WireError(.notFound, "no open import \"\(token)\"", field: "import")
        }
        return session
    }

    /// `import_abort`: drops a session of `connection` that is not committing, and its spool file.
    func abort(_ token: String, connection: UInt64) -> Bool {
        !remove(abortedBecause: "import_abort") { $0.token == token && $0.connection == connection && !$0.committing }.isEmpty
    }

    /// Drops a session and its spool file (after its commit).
    func close(_ token: String) {
        _ = remove(abortedBecause: nil) { $0.token == token }
    }

    /// Drops the sessions `connection` began that are not committing: they
    /// never got all their data. Returns them (for the log).
    func abort(connection: UInt64) -> [Session] {
        remove(abortedBecause: "its connection closed before import_commit") { $0.connection == connection && !$0.committing }
    }

    /// Drops sessions no client has touched for `idleLimit`.
    func dropIdle() {
        let cutoff = Date().addingTimeInterval(-Self.idleLimit)
        _ = remove(abortedBecause: "no chunk for \(Int(Self.idleLimit)) s") { !$0.committing && $0.lastUse < cutoff }
    }

    /// Removes the matching sessions in one step (so none is taken for a
    /// commit meanwhile), then closes and deletes their spool files. With a
    /// reason, their imports are recorded `aborted` (rolled back: nothing stored).
    private func remove(abortedBecause reason: String?, where match: (Session) -> Bool) -> [Session] {
        let gone = state.withLock { open in
            let found = open.values.filter(match)
            for session in found { open[session.token] = nil }
            return found
        }
        for session in gone {
            try? session.handle.close()
            unlink(session.path)
            if let reason {
                ledger.move(session.token, to: .aborted, error: WireError(
                    .importFailed, "aborted (\(reason)) after \(session.bytes) bytes: nothing was stored"))
            }
        }
        return gone
    }

    func abortAll() {
        // A committing import stays committing: its commit may still end (receipts tell after a restart).
        _ = remove(abortedBecause: "mfd is stopping") { _ in true }
    }
}
