// CMFKernels: the AVX2/FMA fast path of MFCore's kernels (x86-64 only).
//
// Swift cannot compile one function for a CPU feature set the rest of the
// binary does not assume; C can, with __attribute__((target)). These are
// MFCore's SIMD8 kernels written with AVX2/FMA/F16C intrinsics, operation for
// operation as the Swift versions (same fused multiply-adds in the same
// order), selected at start when the CPU has the features. docs/core.md,
// "Kernels and CPU dispatch", has the measurements behind this.
#ifndef CMFKERNELS_H
#define CMFKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when the running CPU has AVX2, FMA and F16C (and the OS saves YMM state).
int mfk_avx2_fma_supported(void);

/// The path chosen at program start: 1 = AVX2/FMA, 0 = portable. Set once by
/// a constructor from mfk_avx2_fma_supported() and MFD_KERNELS ("portable"
/// forces 0); never changed afterwards.
extern int mfk_selected;
static inline int mfk_fast(void) { return mfk_selected; }

#if defined(__x86_64__)
float mfk_dot(const float *a, const float *b, long n);
void mfk_axpy(float alpha, const float *x, float *y, long n);
void mfk_axpy_rows(const float *base, long stride, const int32_t *rows, long n,
                   const float *coefficients, float scale, long width, float *out);
void mfk_syrk_upper(const float *x, long n, long d, long ds, float *g);
void mfk_dot_rows_upper(const float *x, long n, long ds, float *out, long ns);
int mfk_cholesky_upper(float *a, long d, long ds);
void mfk_cholesky_solve(const float *u, long d, long ds, float *b);
void mfk_score_blocks4(const void *q0, const void *q1, const void *q2, const void *q3,
                       const float *p, long k, float *out);
void mfk_score_block(const void *q, const float *p, long k, float *out);
#endif

#ifdef __cplusplus
}
#endif
#endif
