// A tiny seeded generator for the demo catalogue, independent of MFCore.
import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): 64-bit state, full period, good
/// enough statistical quality for synthetic data, and identical on every
/// platform, so the demo catalogue is byte-for-byte reproducible.
struct DemoRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform integer in `0..<bound` (bound > 0); modulo bias is < 2⁻⁴⁰ here.
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// Standard normal by Box–Muller: z = √(−2 ln u₁) · cos(2π u₂).
    mutating func gaussian() -> Double {
        let u1 = 1.0 - unit()  // (0, 1], so log never sees 0
        let u2 = unit()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    /// Index drawn with probability proportional to `weights[i]` (all ≥ 0, sum > 0).
    mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { return i }
        }
        return weights.count - 1
    }

    /// Element drawn uniformly from a non-empty array.
    mutating func element<T>(of array: [T]) -> T {
        array[below(array.count)]
    }
}
