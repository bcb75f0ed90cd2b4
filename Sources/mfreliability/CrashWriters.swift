import Foundation
import MFCore
import MFLineClient
import Synchronization

/// One stored rating's key.
struct RatingKey: Hashable, Comparable {
    var user: Int64
    var item: Int64
    static func < (a: RatingKey, b: RatingKey) -> Bool { (a.user, a.item) < (b.user, b.item) }
}

/// What one writer connection knows: the values the daemon acknowledged and
/// the request it had sent when the connection died (maybe applied, maybe not).
struct WriterLedger {
    var acked: [RatingKey: Float] = [:]
    var inFlight: [RatingKey: Float] = [:]
    var ackedRequests = 0
    var ackedRatings = 0
    var errorReplies: [String] = []
}

/// 16 (or N) writer threads, each on its own connection and its own users,
/// doing add_rating and add_ratings until the connection dies or `stop`.
final class CrashWriters: @unchecked Sendable {  // ledgers behind locks; threads joined via the group
    let ledgers: [LockedBox<WriterLedger>]
    let userBase: Int64 = 5_000_000
    let usersPerWriter: Int
    let items: Int
    private let stopFlag = Atomic<Bool>(false)
    private var group = DispatchGroup()

    init(writers: Int, usersPerWriter: Int, items: Int) {
        ledgers = (0..<writers).map { _ in LockedBox(WriterLedger()) }
        self.usersPerWriter = usersPerWriter
        self.items = items
    }

    func users(of writer: Int) -> [Int64] {
        (0..<usersPerWriter).map { userBase + Int64(writer * 1000 + $0) }
    }

    /// Starts every writer on its own connection to `socket`.
    func start(socket: String, seed: UInt64) throws {
        stopFlag.store(false, ordering: .relaxed)
        group = DispatchGroup()
        for k in ledgers.indices {
            let client = try LineClient.connect(path: socket, timeout: 10)
            group.enter()
            let g = group
            Thread { [self] in
                defer { g.leave() }
                var rng = SeededRNG(seed: seed &+ UInt64(k) &* 0x9E37_79B9)
                self.run(writer: k, client: client, rng: &rng)
            }.start()
        }
    }

    /// Stops writers that are still connected and waits for all of them.
    func stopAndJoin(timeout: Double = 120) -> Bool {
        stopFlag.store(true, ordering: .relaxed)
        return group.wait(timeout: .now() + timeout) == .success
    }

    private func run(writer k: Int, client: LineClient, rng: inout SeededRNG) {
        let users = users(of: k)
        while !stopFlag.load(ordering: .relaxed) {
            let batch = rng.next(below: 100) < 50 ? 1 : 2 + rng.next(below: 19)
            var chosen: [RatingKey: Float] = [:]
            while chosen.count < batch {
                let key = RatingKey(user: users[rng.next(below: users.count)], item: Int64(1 + rng.next(below: items)))
                chosen[key] = Float(1 + rng.next(below: 10)) * 0.5  // 0.5…5, exact in binary
            }
            ledgers[k].withLock { $0.inFlight = chosen }
            let reply: Reply
            do {
                if batch == 1, let (key, v) = chosen.first {
                    reply = try client.call("add_rating", ["user": key.user, "item": key.item, "rating": Double(v)], timeout: 30)
                } else {
                    let rows = chosen.map { [$0.key.user, $0.key.item, Double($0.value)] as [Any] }
                    reply = try client.call("add_ratings", ["ratings": rows], timeout: 30)
                }
            } catch {
                return  // daemon killed: the in-flight request stays unknown
            }
            ledgers[k].withLock { l in
                if reply.ok {
                    l.acked.merge(chosen) { $1 }
                    l.ackedRequests += 1
                    l.ackedRatings += chosen.count
                } else {
                    l.errorReplies.append(reply.description)
                }
                l.inFlight = [:]
            }
            if !reply.ok { return }
        }
    }
}
