extension ModelImportSessions {
    /// Reorders a received side so the IDs of `old` (the serving model's items, in
    /// index order) come first, in that order, followed by the rest in arrival order.
    /// Leaves `side` as it is when some ID of `old` is missing from it (no order can
    /// keep the old indices then). In place: one row of scratch, no copy of the side.
    static func align(_ side: inout Side, k: Int, to old: [Int64]) {
        guard let dest = alignment(side.ids, to: old) else { return }
        permute(&side, k: k, to: dest)
    }

    /// Where each received row goes (`dest[r]`), or nil when the order cannot start with `old`
    /// or already does.
    static func alignment(_ ids: [Int64], to old: [Int64]) -> [Int]? {
        guard old.count <= ids.count, !ids.starts(with: old) else { return nil }
        var position = [Int64: Int](minimumCapacity: old.count)
        for (n, id) in old.enumerated() { position[id] = n }
        var dest = [Int](repeating: 0, count: ids.count)
        var next = old.count, found = 0
        for (r, id) in ids.enumerated() {
            if let p = position[id] { dest[r] = p; found += 1 } else { dest[r] = next; next += 1 }
        }
        return found == old.count ? dest : nil
    }

    /// Moves row r of `side` (id, bias, k factors) to `dest[r]`, following each cycle of the permutation.
    static func permute(_ side: inout Side, k: Int, to dest: [Int]) {
        // Moved out of `side` (not copied) so each is uniquely referenced while it is rewritten.
        var ids: [Int64] = [], bias: [Float] = [], factors: [Float] = []
        swap(&ids, &side.ids); swap(&bias, &side.bias); swap(&factors, &side.factors)
        defer { swap(&ids, &side.ids); swap(&bias, &side.bias); swap(&factors, &side.factors) }
        var placed = [Bool](repeating: false, count: dest.count)
        var row = [Float](repeating: 0, count: k)
        factors.withUnsafeMutableBufferPointer { f in
            for start in dest.indices where !placed[start] {
                // Carry the start row around its cycle, swapping it into each destination in turn.
                var id = ids[start], b = bias[start], at = start
                for j in 0..<k { row[j] = f[start * k + j] }
                repeat {
                    let d = dest[at]
                    swap(&id, &ids[d]); swap(&b, &bias[d])
                    for j in 0..<k { swap(&row[j], &f[d * k + j]) }
                    placed[d] = true
                    at = d
                } while at != start
            }
        }
    }

    /// The reference for `permute`: a gather into new arrays (tests compare the two).
    static func permuted(_ side: Side, k: Int, to dest: [Int]) -> Side {
        var out = side
        for r in dest.indices {
            out.ids[dest[r]] = side.ids[r]; out.bias[dest[r]] = side.bias[r]
            out.factors.replaceSubrange(dest[r] * k..<(dest[r] + 1) * k, with: side.factors[r * k..<(r + 1) * k])
        }
        return out
    }
}
