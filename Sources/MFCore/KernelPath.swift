#if arch(x86_64)
import CMFKernels
#endif

/// Which implementation of the SIMD kernels (Gram/syrk, Cholesky, dot, axpy,
/// top-N scoring) runs. Chosen once before `main` from the CPU's features and
/// `MFD_KERNELS`; one binary runs on any x86-64 or aarch64 CPU.
///
/// Results are deterministic for a given input, seed and thread count on one
/// path; the two paths may differ in the last bits (fused vs separate
/// multiply-add rounding).
public enum KernelPath: String, Sendable, CaseIterable {
    /// Plain Swift SIMD: SSE2 on x86-64 (multiply, then add), NEON FMA on aarch64.
    case portable
    /// AVX2, FMA and F16C (x86-64 CPUs since 2013–2015), from CMFKernels.
    case avx2FMA = "avx2_fma"

    /// The environment variable that forces a path: `portable`, `avx2_fma` or `auto` (the default).
    public static let environmentVariable = "MFD_KERNELS"

    /// The path every kernel call without an explicit path takes.
    @inline(__always) public static var active: KernelPath {
        #if arch(x86_64)
        mfk_fast() != 0 ? .avx2FMA : .portable
        #else
        .portable
        #endif
    }

    /// Paths this CPU can run, portable first.
    public static var available: [KernelPath] {
        #if arch(x86_64)
        mfk_avx2_fma_supported() != 0 ? [.portable, .avx2FMA] : [.portable]
        #else
        [.portable]
        #endif
    }

    /// What the path is, for `mfd --version` and logs, e.g. "avx2_fma (AVX2, FMA, F16C)".
    public var summary: String {
        switch self {
        case .avx2FMA: "avx2_fma (AVX2, FMA, F16C)"
        case .portable:
            #if arch(x86_64)
            "portable (SSE2)"
            #else
            "portable (NEON)"
            #endif
        }
    }

    /// Checks `MFD_KERNELS` in `environment` against the path the process
    /// chose at start: the value must name a path (or `auto`, or be empty), and
    /// `avx2_fma` needs a CPU that has it.
    /// - Throws: `MFCoreError.invalidConfig` with field `MFD_KERNELS`.
    public static func checkEnvironment(_ environment: [String: String]) throws {
        guard let value = environment[environmentVariable], !value.isEmpty, value != "auto" else { return }
        guard let wanted = KernelPath(rawValue: value) else {
            throw MFCoreError.invalidConfig(field: environmentVariable,
                                            reason: "unknown kernel path \"\(value)\"; use auto, portable or avx2_fma")
        }
        guard available.contains(wanted) else {
            throw MFCoreError.invalidConfig(field: environmentVariable,
                                            reason: "this CPU cannot run \(wanted.rawValue) (needs AVX2, FMA and F16C); use auto or portable")
        }
    }
}
