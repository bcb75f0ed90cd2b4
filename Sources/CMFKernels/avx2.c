// The AVX2/FMA kernels. Each is the Swift kernel of the same name in
// MFCore/PortableKernels.swift as the fused path runs it: every
// `acc.addingProduct(a, b)` is one _mm256_fmadd_ps(a, b, acc), scalar tails
// multiply then add (unfused, as Swift never contracts), and sums run in the
// same order, so the results are bit for bit the ones a `-target-cpu haswell`
// build of the Swift code gives (KernelTests check it against the references).
#if defined(__x86_64__)
#include <immintrin.h>
#include <math.h>
#include "CMFKernels.h"

#pragma STDC FP_CONTRACT OFF
#define AVX2 __attribute__((target("avx2,fma,f16c")))

typedef __m256 V;
#define LD(p) _mm256_loadu_ps(p)
#define ST(p, v) _mm256_storeu_ps((p), (v))
#define FMA(acc, a, b) _mm256_fmadd_ps((a), (b), (acc))
#define SPLAT(x) _mm256_set1_ps(x)
#define LDH(p) _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p)))

// Lanes 0…7 added in order from −0, as Swift's SIMD8.sum().
AVX2 static inline float sum8(V v) {
    float lanes[8], s = -0.0f;
    ST(lanes, v);
    for (int i = 0; i < 8; i++) s += lanes[i];
    return s;
}

AVX2 float mfk_dot(const float *a, const float *b, long n) {
    V s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    long c = 0;
    for (; c + 16 <= n; c += 16) {
        s0 = FMA(s0, LD(a + c), LD(b + c));
        s1 = FMA(s1, LD(a + c + 8), LD(b + c + 8));
    }
    if (c + 8 <= n) { s0 = FMA(s0, LD(a + c), LD(b + c)); c += 8; }
    float s = sum8(_mm256_add_ps(s0, s1));
    for (; c < n; c++) s += a[c] * b[c];
    return s;
}

AVX2 void mfk_axpy(float alpha, const float *x, float *y, long n) {
    V av = SPLAT(alpha);
    long c = 0;
    for (; c + 8 <= n; c += 8) ST(y + c, FMA(LD(y + c), av, LD(x + c)));
    for (; c < n; c++) y[c] += alpha * x[c];
}

AVX2 void mfk_axpy_rows(const float *base, long stride, const int32_t *rows, long n,
                        const float *coefficients, float scale, long width, float *out) {
#define ROW(j) (base + (rows ? (long)rows[j] : (j)) * stride)
#define ALPHA(j) (coefficients ? coefficients[j] : scale)
    long c = 0;
    for (; c + 32 <= width; c += 32) {
        V a0 = LD(out + c), a1 = LD(out + c + 8), a2 = LD(out + c + 16), a3 = LD(out + c + 24);
        for (long j = 0; j < n; j++) {
            const float *r = ROW(j) + c;
            V s = SPLAT(ALPHA(j));
            a0 = FMA(a0, s, LD(r)); a1 = FMA(a1, s, LD(r + 8));
            a2 = FMA(a2, s, LD(r + 16)); a3 = FMA(a3, s, LD(r + 24));
        }
        ST(out + c, a0); ST(out + c + 8, a1); ST(out + c + 16, a2); ST(out + c + 24, a3);
    }
    for (; c + 8 <= width; c += 8) {
        V a0 = LD(out + c);
        for (long j = 0; j < n; j++) a0 = FMA(a0, SPLAT(ALPHA(j)), LD(ROW(j) + c));
        ST(out + c, a0);
    }
    if (c >= width) return;
    for (long j = 0; j < n; j++) {
        const float *r = ROW(j);
        float s = ALPHA(j);
        for (long t = c; t < width; t++) out[t] += s * r[t];
    }
#undef ROW
#undef ALPHA
}

// Rows a and a + 1 of mfk_syrk_upper (a even).
AVX2 static void syrk_row_pair(const float *x, long n, long a, long ds, float *g) {
    float *r0 = g + a * ds, *r1 = r0 + ds;
    long c = a & ~7L;
    for (; c + 32 <= ds; c += 32) {
        V p0 = LD(r0 + c), p1 = LD(r0 + c + 8), p2 = LD(r0 + c + 16), p3 = LD(r0 + c + 24);
        V q0 = LD(r1 + c), q1 = LD(r1 + c + 8), q2 = LD(r1 + c + 16), q3 = LD(r1 + c + 24);
        const float *xr = x;
        for (long j = 0; j < n; j++, xr += ds) {
            V s = SPLAT(xr[a]), t = SPLAT(xr[a + 1]);
            V v0 = LD(xr + c), v1 = LD(xr + c + 8), v2 = LD(xr + c + 16), v3 = LD(xr + c + 24);
            p0 = FMA(p0, s, v0); q0 = FMA(q0, t, v0);
            p1 = FMA(p1, s, v1); q1 = FMA(q1, t, v1);
            p2 = FMA(p2, s, v2); q2 = FMA(q2, t, v2);
            p3 = FMA(p3, s, v3); q3 = FMA(q3, t, v3);
        }
        ST(r0 + c, p0); ST(r0 + c + 8, p1); ST(r0 + c + 16, p2); ST(r0 + c + 24, p3);
        ST(r1 + c, q0); ST(r1 + c + 8, q1); ST(r1 + c + 16, q2); ST(r1 + c + 24, q3);
    }
    for (; c < ds; c += 8) {
        V p0 = LD(r0 + c), q0 = LD(r1 + c);
        const float *xr = x;
        for (long j = 0; j < n; j++, xr += ds) {
            V v0 = LD(xr + c);
            p0 = FMA(p0, SPLAT(xr[a]), v0); q0 = FMA(q0, SPLAT(xr[a + 1]), v0);
        }
        ST(r0 + c, p0); ST(r1 + c, q0);
    }
}

AVX2 void mfk_syrk_upper(const float *x, long n, long d, long ds, float *g) {
    if (n <= 0) return;
    long a = 0;
    for (; a + 1 < d; a += 2) syrk_row_pair(x, n, a, ds, g);
    if (a < d) {
        float *grow = g + a * ds;
        for (long c = a & ~7L; c < ds; c += 8) {
            V g0 = LD(grow + c);
            const float *xr = x;
            for (long j = 0; j < n; j++, xr += ds) g0 = FMA(g0, SPLAT(xr[a]), LD(xr + c));
            ST(grow + c, g0);
        }
    }
}

AVX2 void mfk_dot_rows_upper(const float *x, long n, long ds, float *out, long ns) {
    for (long j = 0; j < n; j++)
        for (long l = j; l < n; l++) out[j * ns + l] = mfk_dot(x + j * ds, x + l * ds, ds);
}

AVX2 int mfk_cholesky_upper(float *a, long d, long ds) {
    for (long i0 = 0; i0 < d;) {
        long w = d - i0 < 4 ? d - i0 : 4;
        for (long i = i0; i < i0 + w; i++) {
            float *row = a + i * ds;
            float piv = row[i];
            if (!(piv > 0) || !isfinite(piv)) return 0;
            float r = __builtin_sqrtf(piv), inv = 1 / r;
            row[i] = r;
            for (long j = i + 1; j < d; j++) row[j] *= inv;
            for (long j = i + 1; j < i0 + w; j++) {
                long c0 = j & ~7L;
                mfk_axpy(-row[j], row + c0, a + j * ds + c0, ds - c0);
            }
        }
        const float *u0 = a + i0 * ds;
        if (w == 4) {
            const float *u1 = u0 + ds, *u2 = u1 + ds, *u3 = u2 + ds;
            for (long j = i0 + 4; j < d; j++) {
                float *rj = a + j * ds;
                V s0 = SPLAT(-u0[j]), s1 = SPLAT(-u1[j]), s2 = SPLAT(-u2[j]), s3 = SPLAT(-u3[j]);
                for (long c = j & ~7L; c < ds; c += 8) {
                    V v = LD(rj + c);
                    v = FMA(v, s0, LD(u0 + c)); v = FMA(v, s1, LD(u1 + c));
                    v = FMA(v, s2, LD(u2 + c)); v = FMA(v, s3, LD(u3 + c));
                    ST(rj + c, v);
                }
            }
        } else {
            for (long i = i0; i < i0 + w; i++) {
                const float *row = a + i * ds;
                for (long j = i0 + w; j < d; j++) {
                    long c0 = j & ~7L;
                    mfk_axpy(-row[j], row + c0, a + j * ds + c0, ds - c0);
                }
            }
        }
        i0 += w;
    }
    return 1;
}

AVX2 void mfk_cholesky_solve(const float *u, long d, long ds, float *b) {
    for (long i = 0; i < d; i++) {
        const float *row = u + i * ds;
        float yi = b[i] / row[i];
        b[i] = yi;
        if (i + 1 < d) mfk_axpy(-yi, row + i + 1, b + i + 1, d - i - 1);
    }
    for (long i = d - 1; i >= 0; i--) {
        const float *row = u + i * ds;
        float s = i + 1 < d ? mfk_dot(row + i + 1, b + i + 1, d - i - 1) : 0;
        b[i] = (b[i] - s) / row[i];
    }
}

// Float16 ranking blocks (8 lanes × k, see MFModel.rankingBlocks): 32 / 8 scores.
AVX2 void mfk_score_blocks4(const void *b0, const void *b1, const void *b2, const void *b3,
                            const float *p, long k, float *out) {
    const uint16_t *q0 = b0, *q1 = b1, *q2 = b2, *q3 = b3;
    V a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
    long c = 0;
    for (; c + 2 <= k; c += 2) {
        long o = c * 8;
        V pa = SPLAT(p[c]), pb = SPLAT(p[c + 1]);
        a0 = FMA(a0, pa, LDH(q0 + o)); c0 = FMA(c0, pb, LDH(q0 + o + 8));
        a1 = FMA(a1, pa, LDH(q1 + o)); c1 = FMA(c1, pb, LDH(q1 + o + 8));
        a2 = FMA(a2, pa, LDH(q2 + o)); c2 = FMA(c2, pb, LDH(q2 + o + 8));
        a3 = FMA(a3, pa, LDH(q3 + o)); c3 = FMA(c3, pb, LDH(q3 + o + 8));
    }
    if (c < k) {
        long o = c * 8;
        V pa = SPLAT(p[c]);
        a0 = FMA(a0, pa, LDH(q0 + o)); a1 = FMA(a1, pa, LDH(q1 + o));
        a2 = FMA(a2, pa, LDH(q2 + o)); a3 = FMA(a3, pa, LDH(q3 + o));
    }
    ST(out, _mm256_add_ps(a0, c0)); ST(out + 8, _mm256_add_ps(a1, c1));
    ST(out + 16, _mm256_add_ps(a2, c2)); ST(out + 24, _mm256_add_ps(a3, c3));
}

AVX2 void mfk_score_block(const void *b0, const float *p, long k, float *out) {
    const uint16_t *q0 = b0;
    V a0 = _mm256_setzero_ps(), c0 = a0;
    long c = 0;
    for (; c + 2 <= k; c += 2) {
        a0 = FMA(a0, SPLAT(p[c]), LDH(q0 + c * 8));
        c0 = FMA(c0, SPLAT(p[c + 1]), LDH(q0 + (c + 1) * 8));
    }
    if (c < k) a0 = FMA(a0, SPLAT(p[c]), LDH(q0 + c * 8));
    ST(out, _mm256_add_ps(a0, c0));
}
#endif
