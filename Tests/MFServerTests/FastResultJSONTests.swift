import MFProtocol
import Testing
@testable import MFServer

/// The hand-written recommend reply must equal the Codable one byte for byte.
struct FastResultJSONTests {
    static let ids: [RequestID] = [.null, .int(7), .string("a\"b\\c\n"), .double(1.5), .bool(true)]

    static let results: [RecommendResult] = [
        RecommendResult(user: 42, items: [], source: .popular),
        RecommendResult(user: -3, items: [
            ScoredItem(item: 260, score: 4.71, title: "Star Wars: Episode IV - A New Hope (1977)", genres: ["Action", "Sci-Fi"]),
            ScoredItem(item: 1, score: -0.000123, title: nil, genres: nil),
            ScoredItem(item: 9_007_199_254_740_993, score: 1e-8, title: "tab\tquote\"ctrl\u{01}é☃", genres: []),
            ScoredItem(item: 5, score: 123456.78, title: "", genres: ["(no genres listed)"]),
        ], source: .model),
        RecommendResult(user: 0, items: [ScoredItem(item: 2, score: 3, genres: ["A"])], source: .foldedIn),
    ]

    /// The reply with each item's catalogue JSON encoded from its own title and genres.
    static func reply(_ r: RecommendResult) -> RecommendReply {
        RecommendReply(result: r, catalogueJSON: r.items.map { ScoredItem.catalogueJSON(title: $0.title, genres: $0.genres) })
    }

    @Test(arguments: ids) func matchesCodable(id: RequestID) throws {
        for r in Self.results {
            let fast = try #require(Self.reply(r).successLine(id: id))
            let codable = ResponseEncoder().success(id: id, r)
            #expect(String(decoding: fast, as: UTF8.self) == String(decoding: codable, as: UTF8.self))
        }
    }

    /// The engine's reply uses catalogue JSON kept per item: it must follow
    /// title and genre changes and cover items without a catalogue entry.
    @Test func engineReplyFollowsCatalogueChanges() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings)
        defer { f.discard() }
        let request = RecommendRequest(user: 2, n: 40, excludeSeen: false)
        func check() throws -> RecommendReply {
            let reply = try f.engine.recommendReply(request)
            let fast = try #require(reply.successLine(id: .int(3)))
            let codable = ResponseEncoder().success(id: .int(3), try f.engine.recommend(request))
            #expect(String(decoding: fast, as: UTF8.self) == String(decoding: codable, as: UTF8.self))
            return reply
        }
        let plain = try check()
        #expect(plain.result.items.count == 40)
        #expect(plain.result.items.allSatisfy { $0.title == nil })
        _ = try await f.engine.addItem(AddItemRequest(item: 7, title: "Quote \"and\" tab\t", genres: ["Drama", "é"]))
        _ = try await f.engine.addItem(AddItemRequest(item: 8, genres: []))
        let titled = try check()
        #expect(titled.result.items.first { $0.item == 7 }?.title == "Quote \"and\" tab\t")
        _ = try await f.engine.addItem(AddItemRequest(item: 7, title: "Renamed"))
        let renamed = try check()
        #expect(renamed.result.items.first { $0.item == 7 }?.title == "Renamed")
        #expect(renamed.result.items.first { $0.item == 7 }?.genres == ["Drama", "é"])
    }

    @Test func explanationsAndNonFiniteScoresFallBackToCodable() {
        let because = [Because(item: 1, title: "x", share: 0.5)]
        #expect(Self.reply(RecommendResult(user: 1, items: [ScoredItem(item: 1, score: 1, because: because)], source: .model))
            .successLine(id: .null) == nil)
        #expect(Self.reply(RecommendResult(user: 1, items: [ScoredItem(item: 1, score: .nan)], source: .model))
            .successLine(id: .null) == nil)
    }
}
