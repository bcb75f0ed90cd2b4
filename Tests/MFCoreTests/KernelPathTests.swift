import Foundation
import Testing
@testable import MFCore

/// The top-N scoring kernels on every available path, the portable Float16
/// widening, and how the path is chosen.
@Suite struct KernelPathTests {
    /// acc + a·b rounded as `path` rounds a multiply-add.
    func madd(_ path: KernelPath, _ acc: Float, _ a: Float, _ b: Float) -> Float {
        path == .avx2FMA || PortableKernels.fused ? acc.addingProduct(a, b) : acc + a * b
    }

    /// Every one of the 65,536 Float16 bit patterns widens to the Float the
    /// standard library's conversion gives (NaNs: to a NaN).
    @Test func halfWideningIsExactForEveryBitPattern() {
        var bits = [UInt16](repeating: 0, count: 8)
        for start in stride(from: 0, to: 65536, by: 8) {
            for l in 0..<8 { bits[l] = UInt16(start + l) }
            let got = bits.withUnsafeBytes { PortableKernels.loadHalf($0.baseAddress!) }
            for l in 0..<8 {
                let want = Float(Float16(bitPattern: bits[l]))
                if want.isNaN {
                    #expect(got[l].isNaN, "0x\(String(bits[l], radix: 16))")
                } else {
                    #expect(got[l].bitPattern == want.bitPattern, "0x\(String(bits[l], radix: 16)): \(got[l]) != \(want)")
                }
            }
        }
    }

    /// Four random blocks of k Float16 rows × 8 lanes and a user vector.
    func blocks(k: Int, seed: UInt64) -> (q: [[Float16]], p: [Float]) {
        var rng = SeededRNG(seed: seed)
        let q = (0..<4).map { _ in (0..<(k * 8)).map { _ in Float16(rng.nextGaussian()) } }
        return (q, (0..<k).map { _ in rng.nextGaussian() })
    }

    /// Bitwise against the kernels' order (even c in one chain, odd c in
    /// another, then added) and within rounding of a Double sum; the one-block
    /// kernel gives the first block's lanes bit for bit.
    @Test(arguments: KernelPath.available, [1, 2, 7, 16, 64, 65])
    func scoringMatchesReferences(path: KernelPath, k: Int) {
        let (q, p) = blocks(k: k, seed: UInt64(k))
        var four = [Float](repeating: 0, count: 32), one = [Float](repeating: 0, count: 8)
        q[0].withUnsafeBytes { b0 in q[1].withUnsafeBytes { b1 in q[2].withUnsafeBytes { b2 in q[3].withUnsafeBytes { b3 in
            p.withUnsafeBufferPointer { pb in
                four.withUnsafeMutableBufferPointer {
                    Kernels.scoreBlocks4(b0.baseAddress!, b1.baseAddress!, b2.baseAddress!, b3.baseAddress!,
                                         user: pb.baseAddress!, k: k, into: $0.baseAddress!, on: path)
                }
                one.withUnsafeMutableBufferPointer {
                    Kernels.scoreBlock(b0.baseAddress!, user: pb.baseAddress!, k: k, into: $0.baseAddress!, on: path)
                }
            }
        } } } }
        for b in 0..<4 {
            for l in 0..<8 {
                var even: Float = 0, odd: Float = 0, exact = 0.0
                for c in 0..<k {
                    let v = Float(q[b][c * 8 + l])
                    if c % 2 == 0 { even = madd(path, even, p[c], v) } else { odd = madd(path, odd, p[c], v) }
                    exact += Double(p[c]) * Double(v)
                }
                let got = four[b * 8 + l]
                #expect(got.bitPattern == (even + odd).bitPattern, "block \(b) lane \(l)")
                #expect(abs(Double(got) - exact) < 1e-4 * Double(k), "block \(b) lane \(l)")
            }
        }
        #expect(one.map(\.bitPattern) == four.prefix(8).map(\.bitPattern))
    }

    /// `MFD_KERNELS=portable` (as CI runs the core tests a second time) forces
    /// the portable path; otherwise the fastest available one runs.
    @Test func activePathFollowsTheEnvironment() {
        let forced = ProcessInfo.processInfo.environment[KernelPath.environmentVariable]
        #expect(KernelPath.active == (forced == "portable" ? .portable : KernelPath.available.last!))
        #expect(KernelPath.available.first == .portable)
    }

    @Test func environmentValuesAreChecked() throws {
        for ok in ["", "auto", "portable"] {
            try KernelPath.checkEnvironment([KernelPath.environmentVariable: ok])
        }
        try KernelPath.checkEnvironment([:])
        #expect(throws: MFCoreError.invalidConfig(field: "MFD_KERNELS", reason: "unknown kernel path \"avx512\"; use auto, portable or avx2_fma")) {
            try KernelPath.checkEnvironment(["MFD_KERNELS": "avx512"])
        }
        if KernelPath.available.contains(.avx2FMA) {
            try KernelPath.checkEnvironment(["MFD_KERNELS": "avx2_fma"])
        } else {
            #expect(throws: MFCoreError.self) { try KernelPath.checkEnvironment(["MFD_KERNELS": "avx2_fma"]) }
        }
    }
}
