import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Deterministic fork-join over contiguous row ranges.
enum Parallel {
    /// Online cores (at least 1).
    static var coreCount: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }

    /// Threads to use for a config value (0 = all cores).
    static func threads(_ requested: Int) -> Int { requested > 0 ? requested : coreCount }

    /// Splits `0..<offsets.count-1` into `parts` contiguous ranges of about equal
    /// work, where row r costs `offsets[r+1] - offsets[r] + rowCost`.
    static func partition(offsets: [Int], parts: Int, rowCost: Int) -> [Range<Int>] {
        let rows = offsets.count - 1
        guard parts > 1, rows > 1 else { return [0..<max(rows, 0)] }
        let total = offsets[rows] + rows * rowCost
        var out: [Range<Int>] = [], start = 0
        for p in 1..<parts {
            let target = total * p / parts
            var r = start
            while r < rows && offsets[r] + r * rowCost < target { r += 1 }
            out.append(start..<r); start = r
        }
        out.append(start..<rows)
        return out.filter { !$0.isEmpty }
    }

    /// Runs `body(chunkIndex, range)` for every range, on up to `ranges.count` threads.
    /// Each chunk's work depends only on its range, so results never depend on scheduling.
    static func run(_ ranges: [Range<Int>], _ body: (Int, Range<Int>) -> Void) {
        if ranges.count <= 1 {
            for (c, r) in ranges.enumerated() { body(c, r) }
            return
        }
        withoutActuallyEscaping(body) { b in
            let box = UnsafeSendableBox(b)
            DispatchQueue.concurrentPerform(iterations: ranges.count) { c in box.value(c, ranges[c]) }
        }
    }
}

/// Carries a non-Sendable value into `concurrentPerform`; callers guarantee
/// that concurrent chunks touch disjoint memory.
struct UnsafeSendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ v: T) { value = v }
}
