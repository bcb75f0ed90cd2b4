import Foundation
import Testing
@testable import MFStore

@Suite struct GroupCommitTests {
    /// 1,000 concurrent writers; every acknowledged rating is present after reopening.
    @Test func thousandConcurrentWritersAllDurable() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let acked = try await withThrowingTaskGroup(of: (Rating, Int64).self) { group in
            for i in 0..<1000 {
                group.addTask {
                    let r = Rating(user: Int64(i % 37), item: Int64(i), value: Float(i % 10 + 1) / 2, timestamp: Int64(i))
                    return (r, try await store.addRating(r))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try store.close()
        #expect(acked.count == 1000)
        let sequences = Set(acked.map(\.1))
        let reopened = try makeStore(dir)
        let stored = Set(try await allRatings(reopened))
        #expect(stored == Set(acked.map(\.0)))
        #expect(try await reopened.currentSequence() == sequences.max())
        // Each batch is one transaction: its rows carry the sequence its callers were given.
        let changes = try await reopened.changes(since: 0)
        let seqByPair = Dictionary(uniqueKeysWithValues: changes.ratings.map { ("\($0.user)/\($0.item)", $0.sequence) })
        for (r, seq) in acked { #expect(seqByPair["\(r.user)/\(r.item)"] == seq) }
    }
}
