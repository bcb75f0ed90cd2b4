import MFProtocol
import Synchronization

/// The engine's loading phase: open while the daemon reads its ratings after
/// a start (or again after an import, a reload), then loaded, or failed for good.
/// After a start writes wait on it; during a reload reads answer from the
/// snapshot from before the import and writes are refused (`busy`).
/// `status` reports its stage.
final class LoadGate: Sendable {
    private enum State {
        case loading(stage: String, done: Int, total: Int, waiters: [CheckedContinuation<Void, any Error>])
        case loaded
        case failed(any Error)
    }

    private let state = Mutex<State>(.loading(stage: "starting", done: 0, total: 0, waiters: []))
    private let open = Atomic<Bool>(true)
    private let reloading = Atomic<Bool>(false)
    /// Opened once the stored model serves, or when loading ends (no model to
    /// serve before): what `hello`, `recommend` and `predict` wait for.
    let modelStage = Latch()

    /// True until loading ends; one atomic load (the dispatcher asks on every request).
    var isLoading: Bool { open.load(ordering: .acquiring) }

    /// True while a reload after an import runs (`restart`): the published
    /// snapshot is complete, only older than the store.
    var isReload: Bool { reloading.load(ordering: .acquiring) }

    /// The current stage while loading; nil once loaded or failed.
    var progress: LoadingInfo? {
        state.withLock { s in
            if case .loading(let stage, let done, let total, _) = s { return LoadingInfo(stage: stage, done: done, total: total) }
            return nil
        }
    }

    /// Names the stage under way (and how far it is, when it can count).
    func report(_ stage: String, done: Int = 0, total: Int = 0) {
        state.withLock { s in
            if case .loading(_, _, _, let waiters) = s { s = .loading(stage: stage, done: done, total: total, waiters: waiters) }
        }
    }

    /// Opens a new loading phase after a finished one (the reload after an
    /// import, `isReload`); does nothing while one runs or after a failed one.
    func restart(_ stage: String) {
        let started = state.withLock { s in
            guard case .loaded = s else { return false }
            s = .loading(stage: stage, done: 0, total: 0, waiters: [])
            return true
        }
        if started {
            reloading.store(true, ordering: .releasing)
            open.store(true, ordering: .releasing)
        }
    }

    /// Returns once loading has ended; throws its error if it failed.
    func wait() async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            let resumeNow: Result<Void, any Error>? = state.withLock { s in
                switch s {
                case .loading(let stage, let done, let total, var waiters):
                    waiters.append(c)
                    s = .loading(stage: stage, done: done, total: total, waiters: waiters)
                    return nil
                case .loaded: return .success(())
                case .failed(let e): return .failure(e)
                }
            }
            if let resumeNow { c.resume(with: resumeNow) }
        }
    }

    /// Ends loading; every waiter resumes with `outcome`. Calls when not loading do nothing.
    func finish(_ outcome: Result<Void, any Error>) {
        let waiters: [CheckedContinuation<Void, any Error>] = state.withLock { s in
            guard case .loading(_, _, _, let waiters) = s else { return [] }
            switch outcome {
            case .success: s = .loaded
            case .failure(let e): s = .failed(e)
            }
            return waiters
        }
        open.store(false, ordering: .releasing)
        reloading.store(false, ordering: .releasing)
        modelStage.open()
        for w in waiters { w.resume(with: outcome) }
    }
}

/// A one-way door: `wait()` returns once `open()` has been called.
final class Latch: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.open { return true }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { s in
            defer { s.open = true; s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }
}
