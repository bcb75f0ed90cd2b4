import Foundation
import Testing
@testable import MFStore

@Suite struct RatingsTests {
    @Test func upsertReplacesValueAndKeepsNewestTimestamp() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let s1 = try await store.addRating(Rating(user: 1, item: 10, value: 4, timestamp: 100))
        let s2 = try await store.addRating(Rating(user: 1, item: 10, value: 2.5, timestamp: 50))
        #expect(s2 > s1)
        #expect(try await store.rating(user: 1, item: 10) == Rating(user: 1, item: 10, value: 2.5, timestamp: 100))
        try await store.addRating(Rating(user: 1, item: 10, value: 3, timestamp: nil))
        #expect(try await store.rating(user: 1, item: 10) == Rating(user: 1, item: 10, value: 3, timestamp: 100))
        try await store.addRating(Rating(user: 1, item: 10, value: 5, timestamp: 200))
        #expect(try await store.rating(user: 1, item: 10) == Rating(user: 1, item: 10, value: 5, timestamp: 200))
        try await store.addRating(Rating(user: 2, item: 11, value: 1, timestamp: nil))
        #expect(try await store.rating(user: 2, item: 11)?.timestamp == nil)
        // Users and items rows were created on first sight.
        #expect(try await store.counts() == StoreCounts(ratings: 2, users: 2, items: 2))
        #expect(try await store.user(2) != nil)
        #expect(try await store.item(11) != nil)
    }

    @Test func rejectsInvalidValuesWithoutWriting() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var options = StoreOptions()
        options.ratingScale = 1...5
        let store = try makeStore(dir, options: options)
        for bad: Float in [.nan, .infinity, -.infinity, 0.5, 5.5] {
            await #expect(throws: MFStoreError.self) { try await store.addRating(Rating(user: 1, item: 1, value: bad)) }
            await #expect(throws: MFStoreError.self) {
                try await store.addRatings([Rating(user: 1, item: 1, value: 3), Rating(user: 1, item: 2, value: bad)])
            }
        }
        #expect(try await store.counts() == StoreCounts(ratings: 0, users: 0, items: 0))
        #expect(try await store.currentSequence() == 0)
    }

    @Test func batchIsAtomicAndSharesOneSequence() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let seq = try await store.addRatings((1...500).map { Rating(user: Int64($0 % 7), item: Int64($0), value: 3) })
        let changes = try await store.changes(since: 0)
        #expect(changes.ratings.count == 500)
        #expect(changes.ratings.allSatisfy { $0.sequence == seq })
        #expect(changes.sequence == seq)
    }

    @Test func deletesBumpSequenceAndAppearInChanges() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        try await store.upsertUsers([UserRecord(id: 2, attributes: ["age": .number(30)])])
        let base = try await store.addRatings([
            Rating(user: 1, item: 10, value: 4), Rating(user: 1, item: 11, value: 3),
            Rating(user: 2, item: 10, value: 5), Rating(user: 2, item: 12, value: 1),
        ])
        let d1 = try await store.deleteRating(user: 1, item: 10)
        #expect(d1 == base + 1)
        await #expect(throws: MFStoreError.notFound(what: "rating of user 1 for item 10")) {
            try await store.deleteRating(user: 1, item: 10)
        }
        let d2 = try await store.deleteUser(2)
        #expect(d2 == d1 + 1)
        await #expect(throws: MFStoreError.self) { try await store.deleteUser(2) }
        #expect(try await store.user(2) == nil)
        #expect(try await store.counts() == StoreCounts(ratings: 1, users: 1, items: 3))

        let changes = try await store.changes(since: base)
        #expect(changes.deletedUsers == [2])
        #expect(changes.ratings == [
            RatingChange(user: 1, item: 10, value: nil, timestamp: nil, sequence: d1),
            RatingChange(user: 2, item: 10, value: nil, timestamp: nil, sequence: d2),
            RatingChange(user: 2, item: 12, value: nil, timestamp: nil, sequence: d2),
        ])
        // The summary a load's replay reads says the same per user and item.
        let summary = try await store.changeSummary(since: base)
        #expect(summary.users == [1: d1, 2: d2] && summary.items == [10: d2, 12: d2])
        #expect(summary.ratings == changes.ratings.count && summary.deletedUsers == 1)
        // Re-rating a deleted pair reports the live value, not the tombstone.
        let s3 = try await store.addRating(Rating(user: 1, item: 10, value: 2, timestamp: 9))
        let after = try await store.changes(since: d2)
        #expect(after.ratings == [RatingChange(user: 1, item: 10, value: 2, timestamp: 9, sequence: s3)])
        #expect(after.deletedUsers.isEmpty)
        #expect(try await store.changes(since: s3).ratings.isEmpty)
        let later = try await store.changeSummary(since: d2)
        #expect(later.users == [1: s3] && later.items == [10: s3] && later.ratings == 1 && later.deletedUsers == 0)
        #expect(try await store.changeSummary(since: s3) == ChangeSummary())
        // A re-created user has no attributes left over.
        try await store.addRating(Rating(user: 2, item: 10, value: 3))
        #expect(try await store.user(2) == UserRecord(id: 2))
    }

    @Test func perUserAndPerItemReads() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        try await store.addRatings([
            Rating(user: 1, item: 12, value: 4), Rating(user: 1, item: 11, value: 3), Rating(user: 2, item: 11, value: 5),
        ])
        #expect(try await store.ratings(ofUser: 1).map(\.item) == [11, 12])
        #expect(try await store.ratings(ofItem: 11).map(\.user) == [1, 2])
        #expect(try await store.ratings(ofUser: 9).isEmpty)
    }
}
