import Foundation
import MFLineClient
import Synchronization
import Testing

/// SIGTERM while 16 clients write: exit 0, and every acknowledged rating survives.
@Suite
struct ShutdownUnderLoadTests {
    @Test func sigtermDuringLoadKeepsEveryAcknowledgedWrite() throws {
        let dir = try DaemonDirectory()
        defer { dir.remove() }
        let mfd = try Daemon(dir: dir, ["--demo", "--retrain", "manual"] + Daemon.fastTraining)
        _ = try mfd.connect()
        let clients = 16
        let acked = Mutex([[Int64]](repeating: [], count: clients))
        let enough = DispatchSemaphore(value: 0)
        let total = Atomic<Int>(0)
        let done = DispatchGroup()
        for k in 0..<clients {
            let c = try mfd.connect()
            done.enter()
            Thread {
                defer { done.leave() }
                var item: Int64 = 1
                while item <= 900, let r = try? c.call("add_rating", ["user": 800_000 + k, "item": item, "rating": 3], timeout: 30) {
                    if !r.ok { break }  // shutting_down: not acknowledged
                    acked.withLock { $0[k].append(item) }
                    if total.add(1, ordering: .relaxed).newValue == 400 { enough.signal() }
                    item += 1
                }
            }.start()
        }
        #expect(enough.wait(timeout: .now() + 120) == .success)
        #expect(mfd.stop() == 0, "\(mfd.log)")
        #expect(done.wait(timeout: .now() + 60) == .success)

        let again = try Daemon(dir: dir, ["--retrain", "manual"] + Daemon.fastTraining)
        let c = try again.connect()
        for k in 0..<clients {
            let want = acked.withLock { $0[k] }
            guard !want.isEmpty else { continue }
            let r = try c.call("user", ["user": 800_000 + k, "top": 1000])
            let have = Set((r.result["top_rated"] as? [[String: Any]] ?? []).compactMap { ($0["item"] as? NSNumber)?.int64Value })
            #expect(Set(want).isSubset(of: have), "client \(k): \(want.count) acknowledged, \(have.count) stored")
        }
        #expect(again.stop() == 0, "\(again.log)")
    }
}
