/// An item's dense model index and its score (the wire's `ScoredItem` carries the external ID).
public struct ScoredIndex: Sendable, Equatable {
    public var item: Int32
    public var score: Float
    public init(item: Int32, score: Float) { self.item = item; self.score = score }

    /// Ranking order: higher score first, ties to the lower item index.
    @inline(__always) static func better(_ a: ScoredIndex, _ b: ScoredIndex) -> Bool {
        a.score > b.score || (a.score == b.score && a.item < b.item)
    }
}

/// Keeps the best `capacity` items seen: a min-heap whose root is the worst kept.
/// Partial selection in O(n log k) instead of a full sort.
struct TopKHeap {
    private(set) var items: [ScoredIndex] = []
    let capacity: Int

    init(capacity: Int) { self.capacity = max(capacity, 0); items.reserveCapacity(self.capacity) }

    /// Score an item must beat to enter (−∞ while not full).
    @inline(__always) var threshold: Float { items.count < capacity ? -.infinity : items[0].score }

    @inline(__always) mutating func offer(_ x: ScoredIndex) {
        if items.count < capacity {
            items.append(x); siftUp(items.count - 1)
        } else if capacity > 0 && ScoredIndex.better(x, items[0]) {
            items[0] = x; siftDown(0)
        }
    }

    /// Kept items, best first.
    func sorted() -> [ScoredIndex] { items.sorted(by: ScoredIndex.better) }

    private mutating func siftUp(_ i0: Int) {
        var i = i0
        while i > 0 {
            let parent = (i - 1) / 2
            guard ScoredIndex.better(items[parent], items[i]) else { return }
            items.swapAt(parent, i); i = parent
        }
    }

    private mutating func siftDown(_ i0: Int) {
        var i = i0
        let n = items.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var worst = i
            if l < n && ScoredIndex.better(items[worst], items[l]) { worst = l }
            if r < n && ScoredIndex.better(items[worst], items[r]) { worst = r }
            if worst == i { return }
            items.swapAt(i, worst); i = worst
        }
    }
}
