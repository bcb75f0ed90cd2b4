import MFCore
import Testing

@testable import MFDemo

/// Generated once per process: the catalogue is pure and deterministic.
private let catalog = DemoCatalog.generate()

@Suite struct DemoCatalogTests {
    @Test func generationIsDeterministicAndSeedDependent() {
        // A small configuration keeps this fast in debug builds.
        let small = DemoCatalog.Configuration(itemCount: 300, userCount: 40)
        let first = DemoCatalog.generate(small)
        #expect(DemoCatalog.generate(small) == first)
        var other = small
        other.seed &+= 1
        let different = DemoCatalog.generate(other)
        #expect(different.ratings != first.ratings)
        #expect(different.items.map(\.title) != first.items.map(\.title))
        #expect(first.users.count == 40 && first.items.count == 300)
    }

    @Test func hasTheAdvertisedSizes() {
        #expect(catalog.items.count == 2_000)
        #expect(catalog.users.map(\.id) == Array(1...600))
        #expect(catalog.users.contains { $0.id == 42 })
        #expect((50_000...75_000).contains(catalog.ratings.count), "got \(catalog.ratings.count) ratings")
    }

    @Test func itemsHaveSparseIDsUniqueTitlesAndValidGenres() throws {
        let ids = catalog.items.map(\.id)
        #expect(ids.first! >= 1)
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
        #expect(ids.last! > Int64(ids.count), "IDs should not be dense")
        #expect(Set(catalog.items.map(\.title)).count == catalog.items.count)
        #expect(DemoCatalog.genres.count == 18)
        for item in catalog.items {
            #expect((1...3).contains(item.genres.count))
            #expect(Set(item.genres).count == item.genres.count)
            #expect(item.genres.allSatisfy(DemoCatalog.genres.contains))
            #expect(item.title.hasSuffix(" (\(item.year))"), "\(item.title)")
        }
        // Every genre appears somewhere, so genre filters always have data.
        #expect(Set(catalog.items.flatMap(\.genres)) == Set(DemoCatalog.genres))
    }

    @Test func ratingsAreValidHalfStarsOnKnownIDsWithoutDuplicates() {
        let itemIDs = Set(catalog.items.map(\.id))
        var pairs = Set<[Int64]>()
        var perUser: [Int64: Int] = [:]
        var previous: DemoCatalog.Rating?
        for r in catalog.ratings {
            #expect(r.rating >= 0.5 && r.rating <= 5 && (r.rating * 2).rounded() == r.rating * 2)
            #expect(itemIDs.contains(r.item) && (1...600).contains(r.user))
            #expect(pairs.insert([r.user, r.item]).inserted, "duplicate \(r.user),\(r.item)")
            if let p = previous, p.user == r.user { #expect(p.timestamp <= r.timestamp) }
            if let p = previous { #expect(p.user <= r.user) }
            previous = r
            perUser[r.user, default: 0] += 1
        }
        #expect(perUser.count == 600)
        #expect(perUser.values.allSatisfy { $0 >= 20 })
        // The scale is used: at least 8 of the 10 half-star values occur often.
        let histogram = Dictionary(grouping: catalog.ratings, by: \.rating).mapValues(\.count)
        #expect(histogram.values.filter { $0 > 500 }.count >= 8, "\(histogram)")
    }

    @Test func usersRateTheirFavouriteGenresAboveTheirDislikedOnes() {
        let genresByItem = Dictionary(uniqueKeysWithValues: catalog.items.map { ($0.id, $0.genres[0]) })
        let ratingsByUser = Dictionary(grouping: catalog.ratings, by: \.user)
        var gaps: [Double] = []
        for user in catalog.users {
            let rs = ratingsByUser[user.id] ?? []
            let liked = rs.filter { user.favoriteGenres.contains(genresByItem[$0.item]!) }.map { Double($0.rating) }
            let disliked = rs.filter { user.dislikedGenres.contains(genresByItem[$0.item]!) }.map { Double($0.rating) }
            guard liked.count >= 3, disliked.count >= 3 else { continue }
            gaps.append(mean(liked) - mean(disliked))
        }
        #expect(gaps.count >= 200, "too few users rated both kinds: \(gaps.count)")
        #expect(mean(gaps) > 0.8, "mean liked − disliked gap \(mean(gaps))")
        #expect(Double(gaps.filter { $0 > 0 }.count) >= 0.9 * Double(gaps.count))
    }

    @Test func usersWatchMostlyWhatTheyLikeAndPopularityIsSkewed() {
        let genresByItem = Dictionary(uniqueKeysWithValues: catalog.items.map { ($0.id, $0.genres) })
        let favourites = Dictionary(uniqueKeysWithValues: catalog.users.map { ($0.id, Set($0.favoriteGenres)) })
        let onTaste = catalog.ratings.filter { !favourites[$0.user]!.isDisjoint(with: genresByItem[$0.item]!) }.count
        let catalogueShare = catalog.users.map { user in
            Double(catalog.items.filter { !Set(user.favoriteGenres).isDisjoint(with: $0.genres) }.count)
                / Double(catalog.items.count)
        }
        // Watched items match a favourite genre far more often than chance.
        #expect(Double(onTaste) / Double(catalog.ratings.count) > mean(catalogueShare) + 0.15)
        let counts = Dictionary(grouping: catalog.ratings, by: \.item).values.map(\.count).sorted(by: >)
        let top10 = counts.prefix(catalog.items.count / 10).reduce(0, +)
        #expect(Double(top10) > 0.3 * Double(catalog.ratings.count), "top-10% share \(top10)")
    }

    /// Held-out check that the ratings are learnable: a model with item biases
    /// and per-user genre offsets beats user-mean-only prediction clearly.
    @Test func structureIsLearnableOnHeldOutRatings() {
        let genresByItem = Dictionary(uniqueKeysWithValues: catalog.items.map { ($0.id, $0.genres) })
        let train = catalog.ratings.enumerated().filter { $0.offset % 5 != 0 }.map(\.element)
        let test = catalog.ratings.enumerated().filter { $0.offset % 5 == 0 }.map(\.element)
        let mu = mean(train.map { Double($0.rating) })
        func shrunk(_ residuals: [Double], _ lambda: Double) -> Double {
            residuals.reduce(0, +) / (Double(residuals.count) + lambda)
        }
        let userBias = Dictionary(grouping: train, by: \.user).mapValues { shrunk($0.map { Double($0.rating) - mu }, 5) }
        let itemBias = Dictionary(grouping: train, by: \.item).mapValues {
            shrunk($0.map { Double($0.rating) - mu - userBias[$0.user]! }, 5)
        }
        // Per-user offset per genre of the remaining residual.
        var genreResiduals: [String: [Double]] = [:]
        for r in train {
            let residual = Double(r.rating) - mu - userBias[r.user]! - itemBias[r.item]!
            for g in genresByItem[r.item]! { genreResiduals["\(r.user)|\(g)", default: []].append(residual) }
        }
        let genreOffset = genreResiduals.mapValues { shrunk($0, 3) }
        var baseline = 0.0, structured = 0.0
        for r in test {
            let base = mu + userBias[r.user]!
            let genres = genresByItem[r.item]!
            let offset = genres.map { genreOffset["\(r.user)|\($0)"] ?? 0 }.reduce(0, +) / Double(genres.count)
            let full = base + (itemBias[r.item] ?? 0) + offset
            baseline += (Double(r.rating) - base) * (Double(r.rating) - base)
            structured += (Double(r.rating) - full) * (Double(r.rating) - full)
        }
        let baselineRMSE = (baseline / Double(test.count)).squareRoot()
        let structuredRMSE = (structured / Double(test.count)).squareRoot()
        #expect(structuredRMSE < 0.92 * baselineRMSE, "baseline \(baselineRMSE), structured \(structuredRMSE)")
    }

    @Test func userFortyTwoHasADistinctTaste() {
        let user = catalog.users[41]
        #expect(user.id == 42)
        #expect((2...3).contains(user.favoriteGenres.count))
        #expect((1...2).contains(user.dislikedGenres.count))
        #expect(Set(user.favoriteGenres).isDisjoint(with: user.dislikedGenres))
    }

    @Test(arguments: [1, 2, 7, 50, 99, 100])
    func selectLargestMatchesSorting(count: Int) {
        var random = SeededRNG(seed: UInt64(count))
        let original = (0..<100).map { _ in (random.gaussian() * 4).rounded() }  // many ties
        var keys = original
        var indices = Array(0..<100)
        DemoCatalog.selectLargest(count, keys: &keys, indices: &indices)
        #expect(keys.prefix(count).sorted(by: >) == Array(original.sorted(by: >).prefix(count)))
        #expect(indices.map { original[$0] } == keys)
        #expect(Set(indices) == Set(0..<100))
    }

    @Test func sequelTitlesKeepTheYearLast() {
        #expect(DemoCatalog.sequelTitle("The Crimson Harbor (1987)", number: 2) == "The Crimson Harbor II (1987)")
        #expect(DemoCatalog.sequelTitle("Odd (2001)", number: 12) == "Odd 12 (2001)")
    }
}

private func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }
