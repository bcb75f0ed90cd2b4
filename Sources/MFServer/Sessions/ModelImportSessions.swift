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
        var users = Side()
        var items = Side()
        var lastUsed = Date()
    }

    private let state = Mutex<[String: Session]>([:])
    let limit = 2
    static let idleTimeout: TimeInterval = 600

    func begin(_ manifest: ModelManifest, connection: UInt64) throws -> String {
        try state.withLock { open in
            let now = Date()
            open = open.filter { now.timeIntervalSince($0.value.lastUsed) <= Self.idleTimeout }
            guard open.count < limit else {
                throw WireError(.busy, "\(open.count) model imports are open (limit \(limit)); retry later")
            }
            let token = SessionToken.make("mod")
            open[token] = Session(manifest: manifest, connection: connection)
            return token
        }
    }

    /// Appends one batch after checking every row (all or nothing).
    func rows(_ r: ImportModelRowsRequest, connection: UInt64) throws -> ImportModelRowsResult {
        try state.withLock { open in
            var session = try Self.session(open, r.import, connection)
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
            open[r.import] = session
            return ImportModelRowsResult(users: session.users.ids.count, items: session.items.ids.count)
        }
    }

    /// Removes and returns a session of `connection` for commit.
    func take(_ token: String, connection: UInt64) throws -> Session {
        try state.withLock { open in
            let session = try Self.session(open, token, connection)
            open[token] = nil
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
            guard open[token]?.connection == connection else { return false }
            return open.removeValue(forKey: token) != nil
        }
    }

    /// Drops the sessions `connection` began; returns how many.
    func abort(connection: UInt64) -> Int {
        state.withLock { open in
            let before = open.count
            open = open.filter { $0.value.connection != connection }
            return before - open.count
        }
    }
}
