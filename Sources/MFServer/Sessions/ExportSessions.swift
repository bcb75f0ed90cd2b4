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
        /// The connection that began it (0: a caller without one); only it may use the session.
        let connection: UInt64
        let source: Source
        var position = 0
        var lastUsed = Date()
        var busy = false
        init(token: String, connection: UInt64, source: Source) { self.token = token; self.connection = connection; self.source = source }
    }

    private struct State {
        var open: [String: Session] = [:]
    }
    private let state = Mutex(State())
    let limit: Int
    /// Sessions idle longer than this are closed when another begins (a client that vanished).
    let idleTimeout: TimeInterval

    init(limit: Int = 4, idleTimeout: TimeInterval = 600) { self.limit = limit; self.idleTimeout = idleTimeout }

    /// Registers a session of `connection` under a random token; `busy` when `limit` are open.
    func open(connection: UInt64, _ make: () throws -> Source) throws -> String {
        sweep()
        return try state.withLock { s in
            guard s.open.count < limit else {
                throw WireError(.busy, "\(s.open.count) export sessions are open (limit \(limit)); finish them with export_end or retry later")
            }
            let token = SessionToken.make("exp")
            s.open[token] = Session(token: token, connection: connection, source: try make())
            return token
        }
    }

    /// Takes a session of `connection` for one page (one page at a time per
    /// session); another connection's token is `not_found`, as an unknown one.
    func take(_ token: String, connection: UInt64) throws -> Session {
        try state.withLock { s in
            guard let session = s.open[token], session.connection == connection, !session.busy else {
                throw WireError(.notFound, "no open export \"\(token)\" (finished, closed or idle too long)", field: "export")
            }
            session.busy = true
            return session
        }
    }

    func release(_ session: Session) {
        state.withLock { _ in session.busy = false; session.lastUsed = Date() }
    }

    /// Closes a session of `connection`; false when it has none by that token.
    func close(_ token: String, connection: UInt64) -> Bool {
        guard state.withLock({ $0.open[token]?.connection == connection }) else { return false }
        return close(token)
    }

    /// Closes every session `connection` began (the server calls it when the connection closes).
    @discardableResult
    func close(connection: UInt64) -> Int {
        let tokens = state.withLock { s in s.open.values.filter { $0.connection == connection }.map(\.token) }
        return tokens.filter { close($0) }.count
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
