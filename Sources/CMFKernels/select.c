// Which kernel path runs: decided once, before main, so every kernel call
// reads a constant. MFD_KERNELS=portable forces the portable path (tests,
// comparisons, a CPU whose AVX2 misbehaves); MFCore's KernelPath checks the
// value and reports the choice.
#include <stdlib.h>
#include <string.h>
#include "CMFKernels.h"

int mfk_selected = 0;

int mfk_avx2_fma_supported(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    // The compiler runtime sets these only when the OS saves YMM state (XGETBV).
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
#else
    return 0;
#endif
}

__attribute__((constructor)) static void mfk_select(void) {
    const char *forced = getenv("MFD_KERNELS");
    if (forced != NULL && strcmp(forced, "portable") == 0) return;
    mfk_selected = mfk_avx2_fma_supported();
}
