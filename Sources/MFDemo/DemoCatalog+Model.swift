import MFCore
// The hidden latent model that generates the demo catalogue's ratings.
import Foundation

extension DemoCatalog {
    /// Hidden non-genre taste dimensions (the part MF must discover beyond genres).
    static let hiddenDimensions = 4

    /// An item with its hidden parameters.
    struct DraftItem {
        let id: Int64
        let title: String
        let genreIndices: [Int]
        let year: Int
        /// Item bias: how much better than average everyone finds it.
        let quality: Double
        /// Log of the relative chance of being watched (long-tailed).
        let logPopularity: Double
        let hidden: [Double]

        var `public`: Item {
            Item(id: id, title: title, genres: genreIndices.map { DemoCatalog.genres[$0] }, year: year)
        }
    }

    /// A user with their hidden taste.
    struct DraftUser {
        let id: Int64
        let age: Int
        /// Affinity per genre (same order as `genres`): ≈ +1 liked, ≈ −1 disliked, ≈ 0 indifferent.
        let affinity: [Double]
        let liked: [Int]
        let disliked: [Int]
        /// User bias: a generous or a harsh rater.
        let bias: Double
        let hidden: [Double]
        /// Log-normal activity multiplier for the number of ratings.
        let activity: Double

        var `public`: User {
            User(
                id: id, age: age,
                favoriteGenres: liked.map { DemoCatalog.genres[$0] },
                dislikedGenres: disliked.map { DemoCatalog.genres[$0] })
        }
    }

    /// Genre-level quality offsets, as in MovieLens averages (noir and
    /// documentaries rate high, horror and children's films low).
    static let genreQuality: [Double] = [
        -0.05, 0, 0.1, -0.15, -0.1, 0.05, 0.25, 0.1, 0, 0.3, -0.3, 0.05, 0.05, 0, -0.05, 0, 0.2, 0.05,
    ]

    static func makeItems(count: Int, random: inout SeededRNG) -> [DraftItem] {
        var items: [DraftItem] = []
        items.reserveCapacity(count)
        var seen: [String: Int] = [:]
        var id: Int64 = 0
        for _ in 0..<count {
            id += 1 + Int64(random.next(below: 3))  // gaps: IDs are not dense
            let genres = drawGenres(random: &random)
            // Release years skew recent; ratings are dated 2009–2016.
            let year = max(1930, 2008 - Int(-log(1 - random.nextDouble()) * 14))
            var title = drawTitle(genreIndices: genres, year: year, random: &random)
            let copies = seen[title, default: 0] + 1
            seen[title] = copies
            if copies > 1 { title = sequelTitle(title, number: copies) }
            let quality = 0.4 * random.gaussian() + genres.map { genreQuality[$0] }.reduce(0, +) / Double(genres.count)
            // Better films get watched more; σ = 1.2 gives a MovieLens-like long tail.
            let logPopularity = 1.2 * random.gaussian() + 0.8 * quality
            let hidden = (0..<hiddenDimensions).map { _ in random.gaussian() }
            items.append(DraftItem(
                id: id, title: title, genreIndices: genres, year: year, quality: quality,
                logPopularity: logPopularity, hidden: hidden))
        }
        return items
    }

    static func makeUsers(count: Int, random: inout SeededRNG) -> [DraftUser] {
        (1...count).map { id in
            let age = min(75, max(16, Int((32 + 11 * random.gaussian()).rounded())))
            var affinity = (0..<genres.count).map { _ in 0.25 * random.gaussian() }
            // Older users lean to westerns, war films and noir; younger to animation.
            let ageLean = Double(age - 35) / 40
            for g in [16, 17, 9] { affinity[g] += 0.4 * ageLean }
            affinity[2] -= 0.4 * ageLean
            // Favourite genres follow genre frequency, so many users like drama.
            var weights = primaryGenreWeights.map { $0.squareRoot() }
            var liked: [Int] = []
            for _ in 0..<(2 + random.next(below: 2)) {
                let g = random.weighted(weights)
                weights[g] = 0
                liked.append(g)
                affinity[g] = 1.1 + 0.3 * random.gaussian()
            }
            var disliked: [Int] = []
            for _ in 0..<(1 + random.next(below: 2)) {
                let g = random.weighted(weights)
                weights[g] = 0
                disliked.append(g)
                affinity[g] = -1.1 + 0.3 * random.gaussian()
            }
            return DraftUser(
                id: Int64(id), age: age, affinity: affinity, liked: liked, disliked: disliked,
                bias: 0.35 * random.gaussian(),
                hidden: (0..<hiddenDimensions).map { _ in random.gaussian() },
                activity: exp(0.75 * random.gaussian()))
        }
    }

    /// How much `user` likes `item`'s genres: weighted mean of the user's
    /// affinities, primary genre weight 1, others 0.6.
    static func genreAffinity(_ user: DraftUser, _ item: DraftItem) -> Double {
        var sum = 0.0, weight = 0.0
        for (rank, g) in item.genreIndices.enumerated() {
            let w = rank == 0 ? 1.0 : 0.6
            sum += w * user.affinity[g]
            weight += w
        }
        return sum / weight
    }

    /// The noiseless rating:
    /// r̂ = μ + b_u + q_i + 0.8·affinity(u, genres(i)) + 0.15·⟨h_u, h_i⟩, μ = 3.2
    /// (watching is biased towards liked genres, so the observed mean is ≈ 3.5, as in MovieLens).
    static func expectedRating(_ user: DraftUser, _ item: DraftItem) -> Double {
        var dot = 0.0
        for d in 0..<hiddenDimensions { dot += user.hidden[d] * item.hidden[d] }
        return 3.2 + user.bias + item.quality + 0.8 * genreAffinity(user, item) + 0.15 * dot
    }
}
