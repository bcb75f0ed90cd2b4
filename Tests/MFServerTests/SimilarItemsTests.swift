import Foundation
import MFProtocol
import Testing
@testable import MFServer

/// `similar_items` answers from an item's factors, and says so when it has none worth comparing.
@Suite struct SimilarItemsTests {
    @Test func anItemOfTheSameTasteGroupComesFirst() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings)
        defer { f.discard() }
        let similar = try f.engine.similarItems(SimilarItemsRequest(item: 3, n: 5))
        #expect(similar.items.count == 5 && similar.items.allSatisfy { $0.item != 3 })
        #expect(similar.items.filter { $0.item <= 20 }.count >= 4, "item 3 is in the 1...20 group: \(similar.items.map(\.item))")
    }

    /// A new user who rated only new items: the model can place neither, so the
    /// items' rows are all zero, and every cosine with them would be 0.
    @Test func anItemWithoutUsableFactorsIsAnErrorNotAListOfZeros() async throws {
        let f = try await EngineFixture.make(ratings: EngineFixture.tasteRatings)
        defer { f.discard() }
        _ = try await f.engine.foldIn(FoldInRequest(user: 9001, ratings: [ItemRating(item: 901, rating: 5), ItemRating(item: 902, rating: 4)]))
        #expect(throws: WireError.self) { try f.engine.similarItems(SimilarItemsRequest(item: 901, n: 5)) }
        do {
            _ = try f.engine.similarItems(SimilarItemsRequest(item: 901, n: 5))
        } catch let e as WireError {
            #expect(e.code == .unknownItem && e.field == "item" && e.message.contains("no usable factors"), "\(e)")
        }
    }
}
