import MFCore

/// Train/test ratings indexed as in ../shared/anchors/common.py: dense indices
/// by rank among the sorted unique ids of the training part; test rows whose
/// user or item is unseen in training are dropped.
struct EvalSplit {
    var train: RatingMatrix
    var users: IDMap, items: IDMap
    var testUsers: [Int32] = [], testItems: [Int32] = [], testRatings: [Float] = []
    var testDropped = 0

    init(train t: RatingsCSV, test: RatingsCSV) throws {
        users = IDMap(ids: Set(t.users).sorted())
        items = IDMap(ids: Set(t.items).sorted())
        let (u, i) = (users, items)
        train = try RatingMatrix(users: t.users.map { u.index(of: $0)! }, items: t.items.map { i.index(of: $0)! },
                                 ratings: t.ratings, userCount: u.count, itemCount: i.count)
        for j in 0..<test.count {
            guard let a = u.index(of: test.users[j]), let b = i.index(of: test.items[j]) else { testDropped += 1; continue }
            testUsers.append(a); testItems.append(b); testRatings.append(test.ratings[j])
        }
    }
}
