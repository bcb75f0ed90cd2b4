import MFCore
// Which items each user rates, when, and how: the demo catalogue's ratings.
import Foundation

extension DemoCatalog {
    /// First and last possible rating time: 2009-01-01 and 2016-10-01 (UTC).
    static let firstTimestamp: Int64 = 1_230_768_000
    static let lastTimestamp: Int64 = 1_475_280_000

    static func makeRatings(
        items: [DraftItem], users: [DraftUser], configuration: Configuration, random: inout SeededRNG
    ) -> [Rating] {
        var ratings: [Rating] = []
        ratings.reserveCapacity(users.count * configuration.medianRatingsPerUser * 4 / 3)
        var keys = [Double](repeating: 0, count: items.count)
        var order = [Int](repeating: 0, count: items.count)
        for user in users {
            let wanted = Double(configuration.medianRatingsPerUser) * user.activity
            let count = min(items.count, max(configuration.minRatingsPerUser, Int(wanted.rounded())))
            // Weighted sampling without replacement (Gumbel top-k): the user
            // watches item i with weight popularity_i · exp(1.2 · affinity),
            // i.e. people mostly watch what they like; key = log w − log(−log U).
            for (i, item) in items.enumerated() {
                let logWeight = item.logPopularity + 1.2 * genreAffinity(user, item)
                let gumbel = -log(-log(1 - random.nextDouble() * (1 - 1e-12)))
                keys[i] = logWeight + gumbel
                order[i] = i
            }
            selectLargest(count, keys: &keys, indices: &order)
            // An active period of a few months to a few years, inside the window.
            let span = min(Double(lastTimestamp - firstTimestamp), 86_400 * 30 * (1 + 24 * random.nextDouble()))
            let start = Double(firstTimestamp) + random.nextDouble() * (Double(lastTimestamp - firstTimestamp) - span)
            var times = (0..<count).map { _ in Int64(start + random.nextDouble() * span) }
            times.sort()
            // Watch order within the period is random.
            var chosen = Array(order[0..<count])
            for i in stride(from: chosen.count - 1, to: 0, by: -1) { chosen.swapAt(i, random.next(below: i + 1)) }
            for (n, i) in chosen.enumerated() {
                let noisy = expectedRating(user, items[i]) + 0.55 * random.gaussian()
                let halfStars = min(10, max(1, (noisy * 2).rounded()))
                ratings.append(Rating(user: user.id, item: items[i].id, rating: Float(halfStars / 2), timestamp: times[n]))
            }
        }
        return ratings
    }

    /// Quickselect (Hoare partition, middle pivot): afterwards the `count`
    /// largest keys, with their indices, occupy positions `0..<count` in an
    /// unspecified but deterministic order. O(n) on average; a full sort was
    /// the bulk of generation time in debug builds.
    static func selectLargest(_ count: Int, keys: inout [Double], indices: inout [Int]) {
        var low = 0, high = keys.count - 1
        while low < high {
            let pivot = keys[(low + high) / 2]
            var i = low, j = high
            while i <= j {
                while keys[i] > pivot { i += 1 }
                while keys[j] < pivot { j -= 1 }
                if i <= j {
                    keys.swapAt(i, j)
                    indices.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now [low, j] ≥ pivot ≥ [i, high]; keep the side holding position count−1.
            if count - 1 <= j { high = j } else if count - 1 >= i { low = i } else { return }
        }
    }
}
