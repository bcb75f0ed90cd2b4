import Foundation
import MFTestSupport
import Testing
@testable import MFStore

@Suite(.enabled(if: SharedData.hasMovieLensSmall, "\(SharedData.movieLensSmall) is absent"))
struct MovieLensImportTests {
    static let dataDir = SharedData.movieLensSmall

    @Test func importsMLLatestSmall2016Exactly() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        let ratings = try await store.importFile(path: Self.dataDir + "/ratings.csv")
        let movies = try await store.importFile(path: Self.dataDir + "/movies.csv")
        let users = try await store.importFile(path: Self.dataDir + "/users.csv")
        #expect((ratings.format, movies.format, users.format) == (.ratingsCSV, .moviesCSV, .usersCSV))
        #expect((ratings.rows, movies.rows, users.rows) == (105_339, 10_329, 668))
        #expect(try await store.counts() == StoreCounts(ratings: 105_339, users: 668, items: 10_329))
        let user1 = try #require(try await store.user(1))
        #expect(user1.attributes == ["age": .number(52), "time_spent_per_day": .number(3.951482)])
        #expect(try await store.item(1)?.genres == ["Adventure", "Animation", "Children", "Comedy", "Fantasy"])
        #expect(try await store.rating(user: 1, item: 16) == Rating(user: 1, item: 16, value: 4, timestamp: 1217897793))
    }
}
