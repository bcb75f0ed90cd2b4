import Testing
@testable import MFCore

/// The train/test split: indexing, dropped test rows and the seeded holdout.
@Suite struct RatingSplitTests {
    let users: [Int64] = [30, 10, 20, 10, 30, 40]
    let items: [Int64] = [7, 5, 5, 6, 6, 9]
    let ratings: [Float] = [1, 2, 3, 4, 5, 1.5]

    @Test func sortedIDsIndexByRankAndFirstSeenByOrder() throws {
        let sorted = try RatingSplit(users: users, items: items, ratings: ratings, trainRows: 0..<5, testRows: [5], indexing: .sortedIDs)
        #expect(sorted.users.ids == [10, 20, 30] && sorted.items.ids == [5, 6, 7])
        let seen = try RatingSplit(users: users, items: items, ratings: ratings, trainRows: 0..<5, testRows: [5], indexing: .firstSeen)
        #expect(seen.users.ids == [30, 10, 20] && seen.items.ids == [7, 5, 6])
        for s in [sorted, seen] {
            #expect(s.train.count == 5)
            // Row j of the matrix holds rating j under either indexing.
            for j in 0..<5 {
                let u = s.users.index(of: users[j])!, i = s.items.index(of: items[j])!
                let row = s.train.items(ofUser: Int(u))
                #expect(s.train.ratings(ofUser: Int(u))[row.firstIndex(of: i)!] == ratings[j])
            }
        }
    }

    @Test func testRowsWithoutATrainingRowAreDropped() throws {
        // Row 5's user 40 and item 9 have no training rating; row 4's user 30 and item 6 both do.
        let s = try RatingSplit(users: users, items: items, ratings: ratings, trainRows: 0..<4, testRows: [4, 5], indexing: .sortedIDs)
        #expect(s.dropped == 1 && s.test.count == 1)
        #expect(s.users.id(at: s.test.users[0]) == 30 && s.items.id(at: s.test.items[0]) == 6 && s.test.ratings == [5])
    }

    @Test func holdoutIsSeededAndTakesTheFraction() throws {
        let n = 1_000
        let u = (0..<n).map { Int64($0 % 50) }, i = (0..<n).map { Int64($0 % 37) }, r = (0..<n).map { Float($0 % 9) / 2 + 1 }
        let a = try RatingSplit.holdout(users: u, items: i, ratings: r, fraction: 0.2, seed: 7)
        let b = try RatingSplit.holdout(users: u, items: i, ratings: r, fraction: 0.2, seed: 7)
        let c = try RatingSplit.holdout(users: u, items: i, ratings: r, fraction: 0.2, seed: 8)
        #expect(a.train.count == 800 && a.test.count + a.dropped == 200)
        #expect(a.test == b.test && a.users == b.users)
        #expect(a.test != c.test)
    }
}
