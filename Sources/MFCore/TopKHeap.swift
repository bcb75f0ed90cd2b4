/// An item and its score.
public struct ScoredItem: Sendable, Equatable {
    public var item: Int32
    public var score: Float
    public init(item: Int32, score: Float) { self.item = item; self.score = score }

    /// Ranking order: higher score first, ties to the lower item index.
    @inline(__always) static func better(_ a: ScoredItem, _ b: ScoredItem) -> Bool {
        a.score > b.score || (a.score == b.score && a.item < b.item)
    }
}

/// Keeps the best `capacity` items seen: a min-heap whose root is the worst kept.
/// Partial selection in O(n log k) instead of a full sort.
struct TopKHeap {
    private(set) var items: [ScoredItem] = []
    let capacity: Int

    init(capacity: Int) { self.capacity = max(capacity, 0); items.reserveCapacity(self.capacity) }

    /// Score an item must beat to enter (−∞ while not full).
    @inline(__always) var threshold: Float { items.count < capacity ? -.infinity : items[0].score }

    @inline(__always) mutating func offer(_ x: ScoredItem) {
        if items.count < capacity {
            items.append(x); siftUp(items.count - 1)
        } else if capacity > 0 && ScoredItem.better(x, items[0]) {
            items[0] = x; siftDown(0)
        }
    }

    /// Kept items, best first.
    func sorted() -> [ScoredItem] { items.sorted(by: ScoredItem.better) }

    private mutating func siftUp(_ i0: Int) {
        var i = i0
        while i > 0 {
            let parent = (i - 1) / 2
            guard ScoredItem.better(items[parent], items[i]) else { return }
            items.swapAt(parent, i); i = parent
        }
    }

    private mutating func siftDown(_ i0: Int) {
        var i = i0
        let n = items.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var worst = i
            if l < n && ScoredItem.better(items[worst], items[l]) { worst = l }
            if r < n && ScoredItem.better(items[worst], items[r]) { worst = r }
            if worst == i { return }
            items.swapAt(i, worst); i = worst
        }
    }
}
