import Testing
@testable import MFServer

/// `ModelImportSessions.align`: the in-place cycle permutation against the gather reference.
struct ModelImportAlignTests {
    static func side(_ ids: [Int64], k: Int) -> ModelImportSessions.Side {
        var s = ModelImportSessions.Side()
        s.ids = ids
        s.bias = ids.map { Float($0) / 2 }
        s.factors = ids.flatMap { id in (0..<k).map { Float(id) * 10 + Float($0) } }
        return s
    }

    @Test(arguments: [1, 3, 64])
    func inPlacePermutationMatchesTheReference(k: Int) {
        var rng = SystemRandomNumberGenerator()
        for n in [1, 2, 7, 100, 1000] {
            let ids = (0..<n).map { Int64($0 * 3 + 1) }.shuffled(using: &rng)
            let dest = Array(0..<n).shuffled(using: &rng)
            var fast = Self.side(ids, k: k)
            ModelImportSessions.permute(&fast, k: k, to: dest)
            let slow = ModelImportSessions.permuted(Self.side(ids, k: k), k: k, to: dest)
            #expect(fast.ids == slow.ids && fast.bias == slow.bias && fast.factors == slow.factors, "n=\(n) k=\(k)")
        }
    }

    @Test func theOldItemsComeFirstInTheirOrderAndNewOnesKeepArrivalOrder() {
        var s = Self.side([50, 10, 99, 30, 20], k: 2)
        ModelImportSessions.align(&s, k: 2, to: [20, 50, 10, 30])
        #expect(s.ids == [20, 50, 10, 30, 99])
        #expect(s.bias == [10, 25, 5, 15, 49.5])
        #expect(s.factors == [200, 201, 500, 501, 100, 101, 300, 301, 990, 991])
    }

    @Test func anOldItemMissingFromTheImportLeavesTheOrderAlone() {
        var s = Self.side([50, 10, 99], k: 1)
        ModelImportSessions.align(&s, k: 1, to: [10, 77])
        #expect(s.ids == [50, 10, 99] && s.factors == [500, 100, 990])
        #expect(ModelImportSessions.alignment([1, 2, 3], to: [1, 2]) == nil, "already in order: nothing to move")
    }
}
