import Foundation
import MFCore
import MFProtocol
import Synchronization

/// Training jobs: the running one (with its task) and the finished ones.
final class JobBoard: Sendable {
    private struct State {
        var nextID: Int64 = 1
        var jobs: [JobInfo] = []
        var running: (id: Int64, task: Task<JobInfo, Never>)?
        /// The running job's stage and its count (`progress` reports it).
        var step: (id: Int64, stage: String, done: Int, total: Int)?
        /// The running job's record.
        var runningJob: JobInfo? { running.flatMap { r in jobs.last { $0.job == r.id } } }
    }
    private let state = Mutex(State())
    private static let keep = 20

    /// Registers a queued job; `training_in_progress` when one is running.
    func begin(kind: JobKind) throws -> Int64 {
        try state.withLock { s in
            if let r = s.running {
                throw WireError(.trainingInProgress, "job \(r.id) is already running; see train_status")
            }
            let id = s.nextID
            s.nextID += 1
            s.jobs.append(JobInfo(job: id, kind: kind, state: .queued, progress: 0, startedAt: Date().timeIntervalSince1970))
            if s.jobs.count > Self.keep { s.jobs.removeFirst(s.jobs.count - Self.keep) }
            return id
        }
    }

    func attach(_ id: Int64, task: Task<JobInfo, Never>) {
        state.withLock { $0.running = (id, task) }
    }

    func update(_ id: Int64, _ body: (inout JobInfo) -> Void) {
        state.withLock { s in
            if let j = s.jobs.lastIndex(where: { $0.job == id }) { body(&s.jobs[j]) }
        }
    }

    /// Names the stage a job is in and how far it is (`total` 0: it cannot
    /// count); sets its `stage` ("epoch 3/15") and `progress`, then runs `body`.
    func step(_ id: Int64, _ stage: String, _ done: Int = 0, of total: Int = 0, _ body: (inout JobInfo) -> Void = { _ in }) {
        state.withLock { s in
            s.step = (id, stage, done, total)
            if let j = s.jobs.lastIndex(where: { $0.job == id }) {
                s.jobs[j].stage = total > 0 ? "\(stage) \(done)/\(total)" : stage
                if total > 0 { s.jobs[j].progress = Double(done) / Double(total) }
                body(&s.jobs[j])
            }
        }
    }

    /// A job's progress as a progress line reports it.
    func progress(_ id: Int64) -> ProgressReport {
        state.withLock { s in
            if let step = s.step, step.id == id {
                return ProgressReport(stage: step.stage, done: Int64(step.done), total: Int64(step.total), job: id)
            }
            let job = s.jobs.last { $0.job == id }
            return ProgressReport(stage: job?.state.rawValue ?? "queued", job: id)
        }
    }

    /// The running job and its task, to wait for it.
    var running: (id: Int64, task: Task<JobInfo, Never>)? { state.withLock { $0.running } }

    /// Records the end of a job and clears the running slot.
    func finish(_ id: Int64, _ body: (inout JobInfo) -> Void) -> JobInfo {
        state.withLock { s in
            if s.running?.id == id { s.running = nil }
            if s.step?.id == id { s.step = nil }
            guard let j = s.jobs.lastIndex(where: { $0.job == id }) else {
                return JobInfo(job: id, kind: .train, state: .failed, progress: 0)
            }
            body(&s.jobs[j])
            s.jobs[j].finishedAt = Date().timeIntervalSince1970
            return s.jobs[j]
        }
    }

    func job(_ id: Int64?) -> JobInfo? {
        state.withLock { s in id.map { id in s.jobs.last { $0.job == id } } ?? s.jobs.last }
    }

    var isRunning: Bool { state.withLock { $0.running != nil } }

    /// The kind of the running job, or nil when none runs.
    var runningKind: JobKind? { state.withLock { $0.runningJob?.kind } }

    /// Cancels the running job if it is of `kind` and waits for it to stop; returns its id.
    @discardableResult
    func cancelRunning(_ kind: JobKind) async -> Int64? {
        let running = state.withLock { s in s.runningJob?.kind == kind ? s.running : nil }
        running?.task.cancel()
        _ = await running?.task.value
        return running?.id
    }

    func task(_ id: Int64) -> Task<JobInfo, Never>? { state.withLock { $0.running?.id == id ? $0.running?.task : nil } }

    func lastAndRunning() -> (last: JobInfo?, running: JobInfo?) {
        state.withLock { s in
            let running = s.runningJob
            // A cancelled ranker job is never the last: it is cancelled as part of replacing its model
            // (a newer import or a retrain), so `mfd_training_last_success` does not drop to 0 for it.
            let last = s.jobs.last { j in
                (j.state == .succeeded || j.state == .failed || j.state == .cancelled) && !(j.kind == .ranker && j.state == .cancelled)
            }
            return (last, running)
        }
    }

    /// Cancels the running job (if any) and waits for it to stop.
    func cancelRunning() async {
        let task = state.withLock { $0.running?.task }
        task?.cancel()
        _ = await task?.value
    }
}
