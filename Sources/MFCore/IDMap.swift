/// Maps external `Int64` IDs to dense `Int32` indices `0..<count` and back.
///
/// Indices are assigned in the order IDs are first seen; `append` gives a new
/// ID the next index. Value type: copies are cheap until mutated.
public struct IDMap: Sendable, Equatable {
    /// External ID of each index.
    public private(set) var ids: [Int64]
    private var lookup: [Int64: Int32]

    /// An empty map.
    public init() { ids = []; lookup = [:] }

    /// Builds a map from IDs in order; duplicates keep their first index.
    public init<S: Sequence>(ids source: S) where S.Element == Int64 {
        self.init()
        for id in source { append(id) }
    }

    /// Number of mapped IDs.
    public var count: Int { ids.count }

    /// Dense index of `id`, or nil when unknown.
    public func index(of id: Int64) -> Int32? { lookup[id] }

    /// External ID at `index` (precondition: `0 <= index < count`).
    public func id(at index: Int32) -> Int64 { ids[Int(index)] }

    /// Returns the index of `id`, appending it first when it is new.
    @discardableResult
    public mutating func append(_ id: Int64) -> Int32 {
        if let i = lookup[id] { return i }
        let i = Int32(ids.count)
        ids.append(id)
        lookup[id] = i
        return i
    }
}
