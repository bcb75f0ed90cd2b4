import MFProtocol
import Synchronization

/// How far one long operation has come, read from other threads: the progress
/// lines of the request that runs it, `status.imports` and `import_status`.
/// It holds a report the operation sets, or follows another source (a job's
/// epochs, an import session's own progress) once the request is bound to it.
public final class OperationProgress: Sendable {
    private enum Source {
        case report(ProgressReport)
        case following(@Sendable () -> ProgressReport)
    }

    private let source: Mutex<Source>

    public init(_ initial: ProgressReport = .queued) { source = Mutex(.report(initial)) }

    /// The report now.
    public var report: ProgressReport {
        let s = source.withLock { $0 }
        switch s {
        case .report(let r): return r
        case .following(let read): return read()
        }
    }

    /// Names the stage and how far it is (`total` 0: it cannot count); keeps the ids the report carries.
    public func set(stage: String, done: Int64 = 0, total: Int64 = 0) {
        source.withLock { s in
            var r = Self.current(s)
            r.stage = stage; r.done = done; r.total = total
            s = .report(r)
        }
    }

    /// Moves `done` within the current stage.
    public func advance(done: Int64) {
        source.withLock { s in
            guard case .report(var r) = s else { return }
            r.done = done
            s = .report(r)
        }
    }

    /// Replaces the whole report.
    public func set(_ report: ProgressReport) { source.withLock { $0 = .report(report) } }

    /// From now on the report is whatever `read` says.
    public func follow(_ read: @escaping @Sendable () -> ProgressReport) { source.withLock { $0 = .following(read) } }

    /// From now on the report is `other`'s.
    public func follow(_ other: OperationProgress) { follow { other.report } }

    private static func current(_ s: Source) -> ProgressReport {
        switch s {
        case .report(let r): return r
        case .following(let read): return read()
        }
    }
}
