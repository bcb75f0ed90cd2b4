import Foundation
import MFProtocol
import Synchronization

/// Every import and model import this daemon has seen, by token: the open
/// ones (receiving or committing, with their live progress) and the newest
/// `keptFinished` that ended, for `import_status` and `status.imports`.
/// States move only as `ImportState.canMove` allows.
final class ImportLedger: Sendable {
    private struct Entry {
        var status: ImportStatus
        /// Live progress while the import is open.
        var progress: OperationProgress?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Tokens of ended imports, oldest first.
        var finished: [String] = []
    }

    private let state = Mutex(State())
    /// Imports of ratings, items or users committing now: one atomic load for every write request.
    private let committingData = Atomic<Int>(0)
    /// Ended imports remembered (a few hundred bytes each).
    static let keptFinished = 64

    /// Records a new session, `receiving`.
    func open(_ token: String, kind: ImportTarget, progress: OperationProgress) {
        state.withLock { s in
            s.entries[token] = Entry(status: ImportStatus(import: token, kind: kind, state: .receiving,
                                                          startedAt: Date().timeIntervalSince1970), progress: progress)
        }
    }

    /// Moves `token` to `next` with what it ended with; false (and nothing
    /// changes) for an unknown token or a move the state machine forbids.
    @discardableResult
    func move(_ token: String, to next: ImportState, result: ImportCommitResult? = nil,
              model: ImportModelResult? = nil, error: WireError? = nil) -> Bool {
        state.withLock { s in
            guard var entry = s.entries[token], entry.status.state.canMove(to: next) else { return false }
            if entry.status.kind != .model {
                if next == .committing { committingData.add(1, ordering: .releasing) }
                if entry.status.state == .committing { committingData.subtract(1, ordering: .releasing) }
            }
            entry.status.state = next
            if next.isFinal {
                entry.status.progress = entry.progress?.report
                entry.progress = nil
                entry.status.finishedAt = Date().timeIntervalSince1970
                entry.status.result = result
                entry.status.model = model
                entry.status.error = error
                s.finished.append(token)
                if s.finished.count > Self.keptFinished {
                    s.entries[s.finished.removeFirst()] = nil
                }
            }
            s.entries[token] = entry
            return true
        }
    }

    /// The import's status now; nil when this daemon has not seen it (or forgot it).
    func status(_ token: String) -> ImportStatus? {
        guard let (status, progress) = state.withLock({ s in s.entries[token].map { ($0.status, $0.progress) } }) else { return nil }
        var out = status
        if let progress { out.progress = progress.report }
        return out
    }

    /// The open imports, oldest first.
    var open: [ImportStatus] {
        let entries = state.withLock { s in s.entries.values.filter { !$0.status.state.isFinal } }
        return entries.sorted { ($0.status.startedAt ?? 0) < ($1.status.startedAt ?? 0) }.map { e in
            var out = e.status
            if let p = e.progress { out.progress = p.report }
            return out
        }
    }

    /// An import of ratings, items or users whose commit holds the store's writer now.
    var dataCommit: ImportStatus? {
        guard committingData.load(ordering: .acquiring) > 0 else { return nil }
        return open.first { $0.state == .committing && $0.kind != .model }
    }
}
