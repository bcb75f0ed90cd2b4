import MFCore
import MFStore

extension RatingSplit {
    /// `evaluate`'s and `tune`'s seeded random holdout of a ratings snapshot.
    init(_ snap: RatingsSnapshot, fraction: Double, seed: Int64) throws {
        self = try .holdout(users: snap.users, items: snap.items, ratings: snap.values, fraction: fraction, seed: seed)
    }
}
