import Foundation
import MFProtocol
import Synchronization

/// Open `import_*` sessions. Chunks are spooled to a file the daemon creates
/// itself, so the store's single writer is held only during `import_commit`,
/// not while a client uploads.
final class ImportSessions: Sendable {
    final class Session: @unchecked Sendable {  // mutated only under ImportSessions.state's lock
        let token: String
        let request: ImportBeginRequest
        let path: String
        let handle: FileHandle
        var bytes: Int64 = 0
        var lines: Int64 = 0
        var committing = false

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
    let directory: String
    static let maxChunkBytes = 256 << 10

    init(limit: Int, directory: String) { self.limit = limit; self.directory = directory }

    func begin(_ r: ImportBeginRequest) throws -> ImportBeginResult {
        try state.withLock { s in
            guard s.open.count < limit else {
                throw WireError(.busy, "\(s.open.count) import sessions are open (limit \(limit)); retry later")
            }
            let token = "imp-\(s.next)"
            s.next += 1
            let path = "\(directory)/mfd-import-\(getpid())-\(token)-\(UInt32.random(in: 0...UInt32.max))"
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let h = FileHandle(forWritingAtPath: path) else {
                throw WireError(.storageFailed, "cannot create the import spool file in \(directory)")
            }
            s.open[token] = Session(token: token, request: r, path: path, handle: h)
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

    func abortAll() {
        for token in state.withLock({ Array($0.open.keys) }) { _ = close(token) }
    }
}
