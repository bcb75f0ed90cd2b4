import MFCore
// The synthetic catalogue behind `mfd --demo`. It ships with the project
// because MovieLens may not (licence), and it has real latent structure so a
// trained model gives visibly genre-coherent recommendations.

/// A deterministic synthetic movie catalogue: items with titles and genres,
/// users with a hidden taste, and half-star ratings generated from a latent
/// model (genre affinity + hidden factors + user and item biases + noise).
///
/// `DemoCatalog.generate()` is pure: the same configuration always gives the
/// same catalogue, on every platform.
public struct DemoCatalog: Sendable, Equatable {
    /// One movie. IDs are positive and increasing but deliberately not dense.
    public struct Item: Sendable, Equatable {
        public let id: Int64
        /// "The Crimson Harbor (1987)": title with the release year, unique.
        public let title: String
        /// One to three of `DemoCatalog.genres`, primary genre first.
        public let genres: [String]
        /// Release year, also part of `title`.
        public let year: Int
    }

    /// One user. IDs are `1...userCount`, so user 42 exists.
    public struct User: Sendable, Equatable {
        public let id: Int64
        /// An attribute for side-information demos: 16...75.
        public let age: Int
        /// The two or three genres this user's hidden taste favours most
        /// (ground truth for tests and for explaining the demo; not a rating).
        public let favoriteGenres: [String]
        /// One or two genres this user's hidden taste dislikes.
        public let dislikedGenres: [String]
    }

    /// One rating on the MovieLens half-star scale 0.5...5.0.
    public struct Rating: Sendable, Equatable {
        public let user: Int64
        public let item: Int64
        public let rating: Float
        /// Unix seconds; increasing within each user's history.
        public let timestamp: Int64
    }

    /// Sizes and seed. The defaults give ~2,000 items, 600 users, ~60k ratings.
    public struct Configuration: Sendable, Equatable {
        public var seed: UInt64
        public var itemCount: Int
        public var userCount: Int
        /// Median number of ratings per user (the distribution is log-normal,
        /// clamped to `minRatingsPerUser...`, so the mean is a bit higher).
        public var medianRatingsPerUser: Int
        public var minRatingsPerUser: Int

        public init(
            seed: UInt64 = 20_161_001, itemCount: Int = 2_000, userCount: Int = 600,
            medianRatingsPerUser: Int = 80, minRatingsPerUser: Int = 20
        ) {
            self.seed = seed
            self.itemCount = itemCount
            self.userCount = userCount
            self.medianRatingsPerUser = medianRatingsPerUser
            self.minRatingsPerUser = minRatingsPerUser
        }
    }

    public let configuration: Configuration
    /// Items in increasing `id` order.
    public let items: [Item]
    /// Users in increasing `id` order (`1...userCount`).
    public let users: [User]
    /// Ratings grouped by user (increasing id), each user's in time order.
    /// Every (user, item) pair occurs at most once.
    public let ratings: [Rating]

    /// Generates the catalogue for `configuration`. Takes well under a second
    /// in a release build for the default sizes.
    public static func generate(_ configuration: Configuration = Configuration()) -> DemoCatalog {
        precondition(configuration.itemCount > 0 && configuration.userCount > 0, "empty demo catalogue")
        precondition(configuration.minRatingsPerUser <= configuration.itemCount, "more ratings than items")
        // Separate streams so changing one part's sizes leaves the others alone.
        var itemRandom = SeededRNG(seed: configuration.seed ^ 0x4954_454D)  // "ITEM"
        var userRandom = SeededRNG(seed: configuration.seed ^ 0x5553_4552)  // "USER"
        let items = makeItems(count: configuration.itemCount, random: &itemRandom)
        let users = makeUsers(count: configuration.userCount, random: &userRandom)
        let ratings = makeRatings(items: items, users: users, configuration: configuration, random: &userRandom)
        return DemoCatalog(
            configuration: configuration,
            items: items.map(\.public),
            users: users.map(\.public),
            ratings: ratings)
    }
}
