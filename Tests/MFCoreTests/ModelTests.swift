import Foundation
import Testing
@testable import MFCore

@Suite struct ModelTests {
    @Test func partsRoundTrip() throws {
        let m = try MFTrainer.train(try Fixtures.sparse().matrix(), config: Fixtures.config(k: 6, iterations: 2))
        let back = try MFModel(parts: m.parts())
        #expect(back.parts() == m.parts())
        #expect(back.rankingBlocks == m.rankingBlocks && back.rankingBias == m.rankingBias && back.solver == m.solver && back.ranking == m.ranking)
        var p = m.parts()
        p.arrays["item_bias"]!.removeLast()
        #expect { try MFModel(parts: p) } throws: { ($0 as? MFCoreError)?.field == "item_factors" }
        p = m.parts(); p.scalars["factors"] = nil
        #expect { try MFModel(parts: p) } throws: { ($0 as? MFCoreError)?.code == "invalid_model_parts" }
    }

    @Test func replaceAndAppendRows() throws {
        let data = try Fixtures.sparse().matrix()
        var c = Fixtures.config(k: 4, iterations: 2)
        c.ranker.enabled = false  // ranking vectors q + γy (RankerTests covers the ranker's)
        var m = try MFTrainer.train(data, config: c)
        let f = FoldIn(model: m)
        let newItem = try f.item(users: [0, 1, 2], ratings: [5, 5, 4])
        #expect(newItem.implicitFactors.count == 4)
        let idx = try m.appendItem(newItem)
        #expect(Int(idx) == data.itemCount && m.item(idx) == newItem && maxAbsDiff(m.rankingVector(idx), zip(newItem.factors, newItem.implicitFactors).map { $0 + m.ranking.implicitWeight * $1 }) < 1e-2)
        let u = UserVector(factors: [1, 0, 0, 0], bias: 0.5, implicitFactors: [0, 1, 0, 0])
        try m.setUser(3, u)
        #expect(m.user(3) == u)
        let nu = try m.appendUser(u)
        #expect(m.user(nu) == u && m.userCount == data.userCount + 1)
        #expect(throws: MFCoreError.self) { try m.setUser(999, u) }
        #expect(throws: MFCoreError.self) { try m.appendUser(UserVector(factors: [1], bias: 0)) }
        // Derived ranking vector follows the replaced item row.
        try m.setItem(0, ItemVector(factors: [2, 0, 0, 0], bias: 0, implicitFactors: [1, 0, 0, 0]))
        #expect(maxAbsDiff(m.rankingVector(0), [2 + m.ranking.implicitWeight, 0, 0, 0]) < 1e-2)
    }

    @Test func idMap() {
        var m = IDMap(ids: [42, 7, 42, 9])
        #expect(m.count == 3 && m.index(of: 7) == 1 && m.index(of: 5) == nil && m.id(at: 2) == 9)
        #expect(m.append(7) == 1 && m.append(100) == 3 && m.id(at: 3) == 100)
    }

    @Test func configCodableKeepsDefaultsForMissingKeys() throws {
        let json = #"{"factors": 8, "ranking": {"item_bias_weight": 0.5}}"#
        let c = try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
        #expect(c.factors == 8 && c.lambda == TrainingConfig().lambda && c.ranking.itemBiasWeight == 0.5)
    }
}
