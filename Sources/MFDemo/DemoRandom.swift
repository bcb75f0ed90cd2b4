import Foundation
import MFCore

/// The demo catalogue's draws, on MFCore's `SeededRNG` (so the catalogue is
/// byte-for-byte reproducible from its seed).
extension SeededRNG {
    /// Standard normal by Box–Muller: z = √(−2 ln u₁) · cos(2π u₂).
    mutating func gaussian() -> Double {
        let u1 = 1.0 - nextDouble()  // (0, 1], so log never sees 0
        let u2 = nextDouble()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    /// Index drawn with probability proportional to `weights[i]` (all ≥ 0, sum > 0).
    mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = nextDouble() * total
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { return i }
        }
        return weights.count - 1
    }

    /// Element drawn uniformly from a non-empty array.
    mutating func element<T>(of array: [T]) -> T {
        array[next(below: array.count)]
    }
}
