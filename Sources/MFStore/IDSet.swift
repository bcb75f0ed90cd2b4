/// A set of Int64 IDs tuned for "first sight" checks in bulk import: a bitmap for
/// IDs in 0..<2^24 (the common case: MovieLens-style dense IDs), a hash set otherwise.
struct IDSet {
    private static let bitmapLimit: Int64 = 1 << 24
    private var words: [UInt64] = []
    private var others = Set<Int64>()

    /// Inserts `id`; true when it was not present.
    mutating func insert(_ id: Int64) -> Bool {
        guard id >= 0 && id < Self.bitmapLimit else { return others.insert(id).inserted }
        let word = Int(id >> 6)
        // Grow to the largest ID seen (doubling), not 2^24 bits up front: a group
        // commit of 16 ratings zeroed 4 MiB for its two sets.
        if word >= words.count { words += repeatElement(0, count: max(word + 1, 2 * words.count, 64) - words.count) }
        let bit = UInt64(1) << UInt64(id & 63)
        if words[word] & bit != 0 { return false }
        words[word] |= bit
        return true
    }
}
