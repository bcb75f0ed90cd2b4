import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One thread of its own at a lower scheduling priority (nice +10, set once
/// when it starts, so nothing needs raising back) for long batch work that
/// must not take the CPU from replies: the lists and the fold-in of a reload
/// after an import. On a busy machine the event loops run first; on an idle
/// one it runs at full speed. Jobs run one at a time, in order.
final class BackgroundThread: @unchecked Sendable {  // `jobs` only under `condition`
    static let shared = BackgroundThread(niceIncrement: 10)

    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    private init(niceIncrement: Int32) {
        let thread = Thread { [unowned self] in
            #if canImport(Glibc)
            // Linux: PRIO_PROCESS with `who` 0 sets the calling thread's nice value only.
            let which = __priority_which_t(PRIO_PROCESS.rawValue)
            _ = setpriority(which, 0, getpriority(which, 0) + niceIncrement)
            #endif
            self.loop()
        }
        thread.name = "mfd-background"
        thread.start()
    }

    /// Runs `body` on the thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (c: CheckedContinuation<T, Never>) in
            condition.lock()
            jobs.append { c.resume(returning: body()) }
            condition.signal()
            condition.unlock()
        }
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
