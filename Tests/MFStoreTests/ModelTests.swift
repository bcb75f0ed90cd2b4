import Foundation
import Testing
@testable import MFStore

@Suite struct ModelTests {
    static func sampleModel(users: Int, items: Int, k: Int, seed: UInt64) -> ModelRecord {
        var state = seed
        func next() -> Float {  // xorshift bits, including NaN payloads and negative zero
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(bitPattern: UInt32(truncatingIfNeeded: state))
        }
        return ModelRecord(
            createdAt: Date(timeIntervalSince1970: 1_700_000_000.123456), algorithm: "als",
            hyperparameters: #"{"k":\#(k),"lambda":0.05}"#, metrics: #"{"rmse":0.87}"#,
            trainingLog: #"[{"epoch":1,"loss":1.5,"holdout_rmse":0.9}]"#, sequence: 42, k: k,
            userIDs: (0..<users).map { Int64($0) * 3 - 5 }, itemIDs: (0..<items).map { Int64.max - Int64($0) },
            arrays: ["user_factors": (0..<users * k).map { _ in next() }, "item_factors": (0..<items * k).map { _ in next() },
                     "user_bias": (0..<users).map { _ in next() }, "item_bias": (0..<items).map { _ in next() },
                     "extra": [-0.0, .nan, .infinity]],
            scalars: ["global_mean": 3.5123456789, "lambda": 1e-300])
    }

    static func bits(_ m: ModelRecord) -> [String: [UInt32]] { m.arrays.mapValues { $0.map(\.bitPattern) } }

    @Test func saveLoadRoundTripsBitForBit() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        #expect(try await store.loadLatestModel() == nil)
        let model = Self.sampleModel(users: 300, items: 200, k: 8, seed: 7)
        let id = try await store.saveModel(model)
        try store.close()
        let loaded = try #require(try await makeStore(dir).loadLatestModel())
        #expect(loaded.id == id)
        #expect(Self.bits(loaded) == Self.bits(model))
        var expected = model
        expected.id = id
        expected.arrays = [:]
        var got = loaded
        got.arrays = [:]
        #expect(got == expected)
    }

    @Test func keepsOnlyTheNewestModels() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var options = StoreOptions()
        options.keepModels = 2
        let store = try makeStore(dir, options: options)
        var ids: [Int64] = []
        for seed in 1...4 { ids.append(try await store.saveModel(Self.sampleModel(users: 5, items: 4, k: 2, seed: UInt64(seed)))) }
        #expect(try await store.listModels().map(\.id) == [ids[3], ids[2]])
        #expect(try await store.loadModel(id: ids[0]) == nil)
        #expect(try await store.loadModel(id: ids[2]).map(Self.bits) == Self.bits(Self.sampleModel(users: 5, items: 4, k: 2, seed: 3)))
        let arrays = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(DISTINCT model) FROM model_arrays") }
        #expect(arrays == 2)
    }

    @Test func rejectsInconsistentModels() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let store = try makeStore(dir)
        var bad = Self.sampleModel(users: 5, items: 4, k: 2, seed: 1)
        bad.arrays["user_factors"]!.removeLast()
        await #expect(throws: MFStoreError.invalidArgument(field: "arrays.user_factors", message: "has 9 values, expected 10")) {
            try await store.saveModel(bad)
        }
        bad = Self.sampleModel(users: 5, items: 4, k: 2, seed: 1)
        bad.metrics = "{not json"
        await #expect(throws: MFStoreError.self) { try await store.saveModel(bad) }
        bad = Self.sampleModel(users: 5, items: 4, k: 2, seed: 1)
        bad.scalars["mu"] = .nan
        await #expect(throws: MFStoreError.self) { try await store.saveModel(bad) }
        #expect(try await store.listModels().isEmpty)
    }
}
