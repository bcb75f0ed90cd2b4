import Foundation
import MFProtocol
import Synchronization

/// Open `import_model_*` sessions: factor rows collected in flat arrays until
/// commit. Like `ImportSessions`, each belongs to the connection that began it.
final class ModelImportSessions: Sendable {
    struct Side: Sendable {
        var ids: [Int64] = []
        var bias: [Float] = []
        var factors: [Float] = []
        var seen: Set<Int64> = []
    }

    struct Session: Sendable {
        let manifest: ModelManifest
        /// The connection that began it (`RequestContext.connectionID`; 0 for a caller without one).
        let connection: UInt64
        /// Rows received while open, then the commit's stage (`import_status`, progress lines).
        let progress: OperationProgress
        var users = Side()
        var items = Side()
        var lastUsed = Date()
        /// When `import_model_begin` opened it (the log's `receive` stage).
        let began = ContinuousClock.now
    }

    private let state = Mutex<[String: Session]>([:])
    let limit = 2
    static let idleTimeout: TimeInterval = 600
    let ledger: ImportLedger

    init(ledger: ImportLedger) { self.ledger = ledger }

    /// Bytes a session holds per row at most: id, bias and k factors, plus the id's
    /// entry in the duplicate check (a Set<Int64> slot with its metadata, ≈ 16 B).
    static func bytesPerRow(k: Int) -> Int { 8 + 4 * (k + 1) + 16 }

    func begin(_ manifest: ModelManifest, connection: UInt64) throws -> String {
        // The arrays are reserved at the manifest's counts: refuse counts this machine cannot hold.
        let need = Double(manifest.users + manifest.items) * Double(Self.bytesPerRow(k: manifest.k))
        let have = Double(ProcessInfo.processInfo.physicalMemory)
        guard need <= have / 2 else {
            throw WireError(.invalidModel, String(format: "%d users + %d items at k=%d need %.1f GiB to receive; this machine has %.1f GiB",
                                                  manifest.users, manifest.items, manifest.k, need / 1_073_741_824, have / 1_073_741_824),
                            field: "manifest.users")
        }
        return try state.withLock { open in
            let now = Date()
            for (token, s) in open where now.timeIntervalSince(s.lastUsed) > Self.idleTimeout {
                open[token] = nil
                ledger.move(token, to: .aborted, error: Self.aborted("no rows for \(Int(Self.idleTimeout)) s", s))
            }
            guard open.count < limit else {
                throw WireError(.busy, "\(open.count) model imports are open (limit \(limit)); retry later")
            }
            let token = SessionToken.make("mod")
            let progress = OperationProgress(ProgressReport(stage: "receiving", total: Int64(manifest.users + manifest.items), import: token))
            open[token] = Session(manifest: manifest, connection: connection, progress: progress)
            ledger.open(token, kind: .model, progress: progress)
            return token
        }
    }

    /// Appends one batch after checking every row (all or nothing). The session
    /// is moved out of the table while it grows, so its arrays are appended to in
    /// place (a copy left in the table made every batch copy the whole side).
    func rows(_ r: ImportModelRowsRequest, connection: UInt64) throws -> ImportModelRowsResult {
        try state.withLock { open in
            let m = try Self.session(open, r.import, connection).manifest
            var session = open.removeValue(forKey: r.import)!
            defer { session.lastUsed = Date(); open[r.import] = session }
            let expected = r.side == .users ? m.users : m.items
            let received = r.side == .users ? session.users.ids.count : session.items.ids.count
            guard received + r.rowCount <= expected else {
                throw WireError(.invalidModel, "more \(r.side.rawValue) rows than the manifest's \(expected)", field: "rows")
            }
            if r.side == .users {
                try Self.append(r, k: m.k, expected: expected, to: &session.users)
            } else {
                try Self.append(r, k: m.k, expected: expected, to: &session.items)
            }
            session.progress.advance(done: Int64(session.users.ids.count + session.items.ids.count))
            return ImportModelRowsResult(users: session.users.ids.count, items: session.items.ids.count)
        }
    }

    /// Checks a batch against the manifest's k and the ids seen so far, then appends it.
    private static func append(_ r: ImportModelRowsRequest, k: Int, expected: Int, to side: inout Side) throws {
        let name = r.side.rawValue
        var batch: [Int64] = []
        if let c = r.columns {
            guard c.count == 0 || c.k == k else {
                throw WireError(.invalidModel, "\(name) rows have \(c.k) factors; the manifest says k=\(k)", field: "factors_base64")
            }
            c.appendIDs(to: &batch)
        } else {
            for (n, row) in r.rows.enumerated() {
                guard row.factors.count == k else {
                    throw WireError(.invalidModel, "\(name) row for id \(row.id) has \(row.factors.count) factors; the manifest says k=\(k)", field: "rows[\(n)]")
                }
                batch.append(row.id)
            }
        }
        // Finite values: a NaN or infinity would poison every score it touches.
        let firstBad: Int? = if let c = r.columns {
            Self.firstNonFinite(c, k: k)
        } else {
            r.rows.firstIndex { !$0.bias.isFinite || !$0.factors.allSatisfy(\.isFinite) }
        }
        if let n = firstBad {
            throw WireError(.invalidModel, "\(name) row for id \(batch[n]) has a NaN or infinite value", field: "rows[\(n)]")
        }
        var batchSeen = Set<Int64>(minimumCapacity: batch.count)
        for (n, id) in batch.enumerated() where side.seen.contains(id) || !batchSeen.insert(id).inserted {
            throw WireError(.invalidModel, "duplicate \(name) id \(id)", field: "rows[\(n)]")
        }
        if side.ids.isEmpty {
            // The manifest's counts are checked at commit: reserve them once instead of regrowing.
            side.ids.reserveCapacity(expected); side.bias.reserveCapacity(expected); side.factors.reserveCapacity(expected * k)
            side.seen.reserveCapacity(expected)
        }
        side.ids.append(contentsOf: batch)
        side.seen.formUnion(batch)
        if let c = r.columns {
            c.appendBiases(to: &side.bias); c.appendFactors(to: &side.factors)
        } else {
            for row in r.rows { side.bias.append(row.bias); side.factors.append(contentsOf: row.factors) }
        }
    }

    /// The first row of `c` with a NaN or infinite bias or factor.
    static func firstNonFinite(_ c: FactorColumns, k: Int) -> Int? {
        func bad(_ bytes: [UInt8]) -> Int? {
            bytes.withUnsafeBytes { raw in
                // Exponent bits all ones = NaN or infinity, whatever the byte order of the host.
                for i in 0..<(raw.count / 4) where raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian & 0x7F80_0000 == 0x7F80_0000 {
                    return i
                }
                return nil
            }
        }
        return [bad(c.biases), bad(c.factors).map { $0 / k }].compactMap { $0 }.min()
    }

    /// Removes and returns a session of `connection` for commit.
    func take(_ token: String, connection: UInt64) throws -> Session {
        try state.withLock { open in
            let session = try Self.session(open, token, connection)
            open[token] = nil
            session.progress.set(stage: "commit")
            ledger.move(token, to: .committing)
            return session
        }
    }

    /// A session of `connection`; anything else is `not_found`, so a token says nothing to another connection.
    private static func session(_ open: [String: Session], _ token: String, _ connection: UInt64) throws -> Session {
        guard let session = open[token], session.connection == connection else {
            throw WireError(.notFound, "no open model import \"\(token)\"", field: "import")
        }
        return session
    }

    /// `import_abort`: drops a session of `connection`.
    func abort(_ token: String, connection: UInt64) -> Bool {
        state.withLock { open in
            guard let s = open[token], s.connection == connection else { return false }
            open[token] = nil
            ledger.move(token, to: .aborted, error: Self.aborted("import_abort", s))
            return true
        }
    }

    /// Drops the sessions `connection` began; returns how many.
    func abort(connection: UInt64) -> Int {
        state.withLock { open in
            let gone = open.filter { $0.value.connection == connection }
            for (token, s) in gone {
                open[token] = nil
                ledger.move(token, to: .aborted, error: Self.aborted("its connection closed before import_model_commit", s))
            }
            return gone.count
        }
    }

    /// Why a session was rolled back, for `import_status`.
    private static func aborted(_ reason: String, _ s: Session) -> WireError {
        WireError(.importFailed, "aborted (\(reason)) after \(s.users.ids.count + s.items.ids.count) rows: nothing was stored")
    }
}
