import MFCore

extension RatingSplit {
    /// A train file and a test file, indexed as `../shared/anchors/common.py` does (`.sortedIDs`).
    init(train t: RatingsCSV, test: RatingsCSV) throws {
        try self.init(users: t.users + test.users, items: t.items + test.items, ratings: t.ratings + test.ratings,
                      trainRows: 0..<t.count, testRows: t.count..<(t.count + test.count), indexing: .sortedIDs)
    }
}
