import MFCore
// Genre vocabulary and co-occurrence for the demo catalogue.

extension DemoCatalog {
    /// The 18 MovieLens genres (ml-latest spelling), in a fixed order.
    public static let genres: [String] = [
        "Action", "Adventure", "Animation", "Children", "Comedy", "Crime",
        "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical",
        "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ]

    /// Relative frequency of each genre as a primary genre, roughly as in
    /// MovieLens: many dramas and comedies, few film-noirs and westerns.
    static let primaryGenreWeights: [Double] = [
        9, 5, 2.5, 2, 14, 5, 2, 18, 3, 0.6, 5, 1.2, 2.5, 6, 4, 6, 1.5, 1,
    ]

    /// Genres that plausibly accompany a primary genre (indices into `genres`).
    static let companionGenres: [[Int]] = [
        /* Action */ [1, 5, 14, 15, 16, 4],
        /* Adventure */ [0, 8, 3, 2, 4, 14],
        /* Animation */ [3, 4, 1, 8, 11],
        /* Children */ [2, 4, 1, 8, 11],
        /* Comedy */ [13, 7, 5, 3, 11],
        /* Crime */ [7, 15, 12, 0, 9],
        /* Documentary */ [16, 11, 7],
        /* Drama */ [13, 5, 16, 12, 15, 4],
        /* Fantasy */ [1, 0, 3, 10, 13],
        /* Film-Noir */ [5, 12, 15, 7],
        /* Horror */ [15, 12, 14, 4],
        /* Musical */ [13, 4, 7, 2],
        /* Mystery */ [15, 5, 7, 10, 9],
        /* Romance */ [4, 7, 11, 8],
        /* Sci-Fi */ [0, 1, 15, 10, 7],
        /* Thriller */ [5, 0, 12, 7, 10],
        /* War */ [7, 0, 1, 6],
        /* Western */ [0, 1, 7, 4],
    ]

    /// Draws 1–3 distinct genre indices: a primary by frequency, then
    /// companions (P(2 genres) ≈ 0.45, P(3) ≈ 0.2).
    static func drawGenres(random: inout SeededRNG) -> [Int] {
        let primary = random.weighted(primaryGenreWeights)
        let roll = random.nextDouble()
        let extra = roll < 0.35 ? 0 : (roll < 0.8 ? 1 : 2)
        var chosen = [primary]
        var pool = companionGenres[primary]
        while chosen.count < 1 + extra, !pool.isEmpty {
            chosen.append(pool.remove(at: random.next(below: pool.count)))
        }
        return chosen
    }
}
