import Foundation
import MFProtocol
@testable import MFServer

import Testing

/// A retrain starts from the serving model while the configuration and most of the data are unchanged.
@Suite struct WarmRetrainTests {
    static func ratings(users: ClosedRange<Int>) -> [RatingTuple] {
        var out: [RatingTuple] = []
        for u in users {
            for i in 1...40 where (i * 7 + u) % 3 != 0 {
                let stars = 1 + (u * i) % 5
                out.append(RatingTuple(user: Int64(u), item: Int64(i), rating: Double(stars)))
            }
        }
        return out
    }

    @Test func retrainStartsFromTheServingModelUntilTheConfigOrDataChange() async throws {
        let f = try await EngineFixture.make(ratings: Self.ratings(users: 1...40), maxBatch: 5000)
        defer { f.discard() }
        _ = try await f.engine.setConfig(SetConfigRequest(iterations: 6, warmIterations: 2))
        let first = try #require(f.engine.snapshot.base?.id)
        let warm = try await f.engine.train(wait: true)
        #expect(warm.state == .succeeded && warm.metrics?.warmStartModel == first && warm.metrics?.iterations == 2)
        #expect(warm.epochs.count == 2)

        // Another λ is another model: cold, with the full sweeps.
        _ = try await f.engine.setConfig(SetConfigRequest(lambda: 0.3))
        let changed = try await f.engine.train(wait: true)
        #expect(changed.metrics?.warmStartModel == nil && changed.metrics?.iterations == 6)

        // Half again as many users: cold.
        _ = try await f.engine.addRatings(AddRatingsRequest(ratings: Self.ratings(users: 41...60)))
        let grown = try await f.engine.train(wait: true)
        #expect(grown.metrics?.warmStartModel == nil)

        // warm_iterations 0 turns warm starts off.
        _ = try await f.engine.setConfig(SetConfigRequest(warmIterations: 0))
        let off = try await f.engine.train(wait: true)
        #expect(off.metrics?.warmStartModel == nil && off.metrics?.iterations == 6)
        await #expect(throws: WireError.self) { try await f.engine.setConfig(SetConfigRequest(warmIterations: -1)) }
    }
}
