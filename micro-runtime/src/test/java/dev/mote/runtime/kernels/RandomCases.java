package dev.mote.runtime.kernels;

import java.util.Random;

/** Seeded random shapes, scales, zero points and inputs for the kernel oracle tests. */
final class RandomCases {
    private final Random random;

    RandomCases(long seed) {
        random = new Random(seed);
    }

    Random random() {
        return random;
    }

    int between(int lo, int hiInclusive) {
        return lo + random.nextInt(hiInclusive - lo + 1);
    }

    /** A scale spread log-uniformly over [lo, hi]. */
    float scale(double lo, double hi) {
        return (float) Math.exp(Math.log(lo) + random.nextDouble() * (Math.log(hi) - Math.log(lo)));
    }

    int zeroPoint() {
        return between(-128, 127);
    }

    /** A shape of rank 1..maxRank whose element count is at least {@code minElements} and at most 2048. */
    int[] shape(int maxRank, int minElements) {
        while (true) {
            int rank = between(1, maxRank);
            int[] shape = new int[rank];
            long n = 1;
            for (int i = 0; i < rank; i++) {
                shape[i] = between(1, rank == 1 ? 300 : 12);
                n *= shape[i];
            }
            if (n >= minElements && n <= 2048) {
                return shape;
            }
        }
    }

    /** Every int8 value at least once (a shuffled repetition), then random values, {@code n} in all. */
    byte[] int8sCoveringAll(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (i < 256 ? i - 128 : between(-128, 127));
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            byte t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    byte[] int8s(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    float[] floats(int n, float lo, float hi) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = lo + random.nextFloat() * (hi - lo);
        }
        return out;
    }
}
