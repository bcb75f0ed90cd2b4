import Foundation
import MFProtocol
import Synchronization

/// Open `import_model_*` sessions: factor rows collected in flat arrays until commit.
final class ModelImportSessions: Sendable {
    struct Side: Sendable {
        var ids: [Int64] = []
        var bias: [Float] = []
        var factors: [Float] = []
        var seen: Set<Int64> = []
    }

    struct Session: Sendable {
        let manifest: ModelManifest
        var users = Side()
        var items = Side()
        var lastUsed = Date()
    }

    private struct State {
        var next = 1
        var open: [String: Session] = [:]
    }
    private let state = Mutex(State())
    let limit = 2
    static let idleTimeout: TimeInterval = 600

    func begin(_ manifest: ModelManifest) throws -> String {
        try state.withLock { s in
            let now = Date()
            s.open = s.open.filter { now.timeIntervalSince($0.value.lastUsed) <= Self.idleTimeout }
            guard s.open.count < limit else {
                throw WireError(.busy, "\(s.open.count) model imports are open (limit \(limit)); retry later")
            }
            let token = "mod-\(s.next)"
            s.next += 1
            s.open[token] = Session(manifest: manifest)
            return token
        }
    }

    /// Appends one batch after checking every row (all or nothing).
    func rows(_ r: ImportModelRowsRequest) throws -> ImportModelRowsResult {
        try state.withLock { s in
            guard var session = s.open[r.import] else {
                throw WireError(.notFound, "no open model import \"\(r.import)\"", field: "import")
            }
            let m = session.manifest
            var side = r.side == .users ? session.users : session.items
            let expected = r.side == .users ? m.users : m.items
            guard side.ids.count + r.rows.count <= expected else {
                throw WireError(.invalidModel, "more \(r.side.rawValue) rows than the manifest's \(expected)", field: "rows")
            }
            var batchSeen = Set<Int64>()
            for (n, row) in r.rows.enumerated() {
                let at = "rows[\(n)]"
                guard row.factors.count == m.k else {
                    throw WireError(.invalidModel, "\(r.side.rawValue) row for id \(row.id) has \(row.factors.count) factors; the manifest says k=\(m.k)", field: at)
                }
                guard row.bias.isFinite, row.factors.allSatisfy(\.isFinite) else {
                    throw WireError(.invalidModel, "\(r.side.rawValue) row for id \(row.id) has a NaN or infinite value", field: at)
                }
                guard !side.seen.contains(row.id), batchSeen.insert(row.id).inserted else {
                    throw WireError(.invalidModel, "duplicate \(r.side.rawValue) id \(row.id)", field: at)
                }
            }
            for row in r.rows {
                side.ids.append(row.id); side.bias.append(row.bias); side.factors.append(contentsOf: row.factors)
                side.seen.insert(row.id)
            }
            if r.side == .users { session.users = side } else { session.items = side }
            session.lastUsed = Date()
            s.open[r.import] = session
            return ImportModelRowsResult(users: session.users.ids.count, items: session.items.ids.count)
        }
    }

    /// Removes and returns a session for commit.
    func take(_ token: String) throws -> Session {
        try state.withLock { s in
            guard let session = s.open.removeValue(forKey: token) else {
                throw WireError(.notFound, "no open model import \"\(token)\"", field: "import")
            }
            return session
        }
    }

    func close(_ token: String) -> Bool { state.withLock { $0.open.removeValue(forKey: token) != nil } }
}
