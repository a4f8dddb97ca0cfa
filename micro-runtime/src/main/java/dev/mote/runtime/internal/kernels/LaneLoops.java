package dev.mote.runtime.internal.kernels;

/**
 * The int loops of the int8 convolution fast paths, written in the one shape that HotSpot C2 (JDK 17) turns into
 * SIMD code: plain {@code int[]} arrays, every array indexed by the loop variable itself (no offset), one store per
 * iteration. Arithmetic wraps modulo 2^32 exactly as a 32-bit accumulator does, so the order in which lanes and
 * terms are summed does not change any result.
 */
final class LaneLoops {
    private LaneLoops() {
    }

    /** {@code acc[i] += w0[i] * x0 + w1[i] * x1 + w2[i] * x2 + w3[i] * x3} for {@code i < n}. */
    static void multiplyAdd4(int[] acc, int[] w0, int[] w1, int[] w2, int[] w3, int x0, int x1, int x2, int x3,
                             int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += w0[i] * x0 + w1[i] * x1 + w2[i] * x2 + w3[i] * x3;
        }
    }

    /** {@code acc[i] += w[i] * x} for {@code i < n}. */
    static void multiplyAdd1(int[] acc, int[] w, int x, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += w[i] * x;
        }
    }

    /** {@code acc[i] += w[i] * x[i]} for {@code i < n}. */
    static void multiplyAddLanes(int[] acc, int[] w, int[] x, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += w[i] * x[i];
        }
    }

    /** {@code acc[i] += w0[i] * x0[i] + w1[i] * x1[i] + w2[i] * x2[i]} for {@code i < n}. */
    static void multiplyAddLanes3(int[] acc, int[] w0, int[] x0, int[] w1, int[] x1, int[] w2, int[] x2, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += w0[i] * x0[i] + w1[i] * x1[i] + w2[i] * x2[i];
        }
    }

    /** {@code acc[i] += v[i]} for {@code i < n}. */
    static void add(int[] acc, int[] v, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += v[i];
        }
    }

    /** {@code out[i] = base[i] + s11[i] - s01[i] - s10[i] + s00[i]}: a rectangle of a summed-area table. */
    static void rectangleSum(int[] out, int[] base, int[] s11, int[] s01, int[] s10, int[] s00, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = base[i] + s11[i] - s01[i] - s10[i] + s00[i];
        }
    }
}
