import Foundation
import MFProtocol
import Synchronization

/// Open `import_*` sessions. Chunks are spooled to a file the daemon creates
/// itself in its private spool directory, so the store's single writer is
/// held only during `import_commit`, not while a client uploads.
final class ImportSessions: Sendable {
    final class Session: @unchecked Sendable {  // mutated only under ImportSessions.state's lock
        let token: String
        let request: ImportBeginRequest
        let path: String
        let handle: FileHandle
        var bytes: Int64 = 0
        var lines: Int64 = 0
        var committing = false
        /// Last begin/chunk; sessions idle longer than `idleLimit` are dropped (a client that vanished).
        var lastUse = Date()

        init(token: String, request: ImportBeginRequest, path: String, handle: FileHandle) {
            self.token = token; self.request = request; self.path = path; self.handle = handle
        }
    }

    private struct State {
        var next = 1
        var open: [String: Session] = [:]
    }
    private let state = Mutex(State())
    let limit: Int
    let spool: SpoolDirectory
    static let maxChunkBytes = 256 << 10
    static let idleLimit: TimeInterval = 600

    init(limit: Int, spool: SpoolDirectory) { self.limit = limit; self.spool = spool }

    func begin(_ r: ImportBeginRequest) throws -> ImportBeginResult {
        dropIdle()
        return try state.withLock { s in
            guard s.open.count < limit else {
                throw WireError(.busy, "\(s.open.count) import sessions are open (limit \(limit)); retry later")
            }
            let token = "imp-\(s.next)"
            s.next += 1
            let file = try spool.createFile()
            s.open[token] = Session(token: token, request: r, path: file.path, handle: file.handle)
            return ImportBeginResult(import: token, maxChunkBytes: Self.maxChunkBytes)
        }
    }

    func chunk(_ r: ImportChunkRequest) throws -> ImportChunkResult {
        let bytes = try r.bytes()
        guard bytes.count <= Self.maxChunkBytes else {
            throw WireError(.invalidValue, "chunk of \(bytes.count) bytes exceeds max_chunk_bytes \(Self.maxChunkBytes)", field: "data")
        }
        return try state.withLock { s in
            guard let session = s.open[r.import], !session.committing else {
                throw WireError(.notFound, "no open import \"\(r.import)\"", field: "import")
            }
            if let off = r.offset, off != session.bytes {
                throw WireError(.invalidValue, "offset \(off) does not match the \(session.bytes) bytes received", field: "offset")
            }
            do { try session.handle.write(contentsOf: bytes) } catch {
                throw WireError(.storageFailed, "cannot spool the import: \(error.localizedDescription)")
            }
            session.bytes += Int64(bytes.count)
            session.lastUse = Date()
            session.lines += Int64(bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) })
            return ImportChunkResult(bytes: session.bytes, lines: session.lines)
        }
    }

    /// Takes the session for committing (no more chunks); the caller must `close` it.
    func take(_ token: String) throws -> Session {
        try state.withLock { s in
            guard let session = s.open[token], !session.committing else {
                throw WireError(.notFound, "no open import \"\(token)\"", field: "import")
            }
            session.committing = true
            try? session.handle.close()
            return session
        }
    }

    /// Drops a session and its spool file.
    func close(_ token: String) -> Bool {
        let session = state.withLock { $0.open.removeValue(forKey: token) }
        guard let session else { return false }
        try? session.handle.close()
        unlink(session.path)
        return true
    }

    /// Drops sessions no client has touched for `idleLimit`.
    func dropIdle() {
        let cutoff = Date().addingTimeInterval(-Self.idleLimit)
        let idle = state.withLock { s in s.open.values.filter { !$0.committing && $0.lastUse < cutoff }.map(\.token) }
        for token in idle { _ = close(token) }
    }

    func abortAll() {
        for token in state.withLock({ Array($0.open.keys) }) { _ = close(token) }
    }
}
