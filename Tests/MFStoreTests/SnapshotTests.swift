import Foundation
import Testing
@testable import MFStore

@Suite struct SnapshotTests {
    /// Each transaction adds 50 ratings for a new user, so a consistent snapshot at
    /// sequence S holds exactly 50·S ratings from users 1...S.
    @Test func readerSeesConsistentSnapshotWhileWriterCommits() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let writer = Task {
            for user in Int64(1)...150 {
                try await store.addRatings((1...50).map { Rating(user: user, item: $0, value: 3) })
            }
        }
        var seen = Set<Int64>()
        while true {
            let snap = try await store.ratingsSnapshot()
            #expect(snap.count == 50 * Int(snap.sequence))
            #expect(Set(snap.users) == Set(Int64(1)...max(1, snap.sequence)).intersection(Set(snap.users)))
            #expect(Set(snap.users).count == Int(snap.sequence))
            seen.insert(snap.sequence)
            let changes = try await store.changes(since: snap.sequence / 2)
            #expect(changes.ratings.count == 50 * Int(changes.sequence - snap.sequence / 2))
            if snap.sequence == 150 { break }
        }
        try await writer.value
        #expect(seen.count >= 1)
    }

    @Test func snapshotArraysAndExportChunks() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let input = (0..<1000).map { (i: Int) -> Rating in
            let timestamp: Int64? = i % 3 == 0 ? nil : Int64(i)
            return Rating(user: Int64(i / 10), item: Int64(i % 10), value: Float(i % 9 + 1) / 2, timestamp: timestamp)
        }
        let seq = try await store.addRatings(input.shuffled())
        let snap = try await store.ratingsSnapshot(includeTimestamps: true)
        #expect(snap.sequence == seq)
        #expect(try await allRatings(store) == input)  // ordered by (user, item)
        #expect(try await store.ratingsSnapshot().timestamps == nil)
        let chunks = Locked<[[Rating]]>([])
        let exportSeq = try await store.forEachRatingChunk(chunkSize: 300) { chunk in chunks.withLock { $0.append(chunk) } }
        #expect(exportSeq == seq)
        #expect(chunks.withLock { $0.map(\.count) } == [300, 300, 300, 100])
        #expect(chunks.withLock { $0.flatMap { $0 } } == input)
    }
}
