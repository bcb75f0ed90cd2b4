import Foundation
import MFProtocol
import Synchronization

/// Open `export_*` sessions. Each reads a consistent snapshot: ratings from
/// one store read transaction (`RatingStream`), everything else from the
/// immutable engine snapshot taken at `export_begin` (`TableSource`).
final class ExportSessions: Sendable {
    enum Source: Sendable {
        case ratings(RatingStream)
        case table(TableSource)
    }

    final class Session: @unchecked Sendable {  // `position`/`lastUsed` only under ExportSessions.state's lock
        let token: String
        let source: Source
        var position = 0
        var lastUsed = Date()
        var busy = false
        init(token: String, source: Source) { self.token = token; self.source = source }
    }

    private struct State {
        var next = 1
        var open: [String: Session] = [:]
    }
    private let state = Mutex(State())
    let limit: Int
    /// Sessions idle longer than this are closed when another begins (a client that vanished).
    let idleTimeout: TimeInterval

    init(limit: Int = 4, idleTimeout: TimeInterval = 600) { self.limit = limit; self.idleTimeout = idleTimeout }

    /// Registers a session; `busy` when `limit` are open.
    func open(_ make: () throws -> Source) throws -> String {
        sweep()
        return try state.withLock { s in
            guard s.open.count < limit else {
                throw WireError(.busy, "\(s.open.count) export sessions are open (limit \(limit)); finish them with export_end or retry later")
            }
            let token = "exp-\(s.next)"
            s.next += 1
            s.open[token] = Session(token: token, source: try make())
            return token
        }
    }

    /// Takes a session for one page (one page at a time per session).
    func take(_ token: String) throws -> Session {
        try state.withLock { s in
            guard let session = s.open[token], !session.busy else {
                throw WireError(.notFound, "no open export \"\(token)\" (finished, closed or idle too long)", field: "export")
            }
            session.busy = true
            return session
        }
    }

    func release(_ session: Session) {
        state.withLock { _ in session.busy = false; session.lastUsed = Date() }
    }

    @discardableResult
    func close(_ token: String) -> Bool {
        guard let session = state.withLock({ $0.open.removeValue(forKey: token) }) else { return false }
        if case .ratings(let stream) = session.source { stream.cancel() }
        return true
    }

    func closeAll() { for t in state.withLock({ Array($0.open.keys) }) { close(t) } }

    private func sweep() {
        let now = Date()
        let stale = state.withLock { s in
            s.open.values.filter { !$0.busy && now.timeIntervalSince($0.lastUsed) > idleTimeout }.map(\.token)
        }
        for t in stale { close(t) }
    }
}

/// Rows computed on demand from an immutable snapshot.
struct TableSource: Sendable {
    let count: Int
    let row: @Sendable (Int) -> [JSONScalar]
}
