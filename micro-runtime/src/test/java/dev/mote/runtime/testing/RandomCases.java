package dev.mote.runtime.testing;

import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Seeded random shapes, scales, zero points, quantizations and tensor data for the oracle tests. Wraps one
 * {@link RandomGenerator} ({@link Random} by default; a test may pass a {@link java.util.SplittableRandom}), so a
 * given seed always gives the same cases; the {@code next...} methods draw from that generator directly.
 *
 * <pre>{@code
 * RandomCases r = new RandomCases(4001);
 * int[] shape = r.shape(4, 256);
 * Quantization q = Quantization.perTensor(r.scale(0.001, 0.5), r.zeroPoint());
 * byte[] input = r.int8sCoveringAll(count);
 * }</pre>
 */
public final class RandomCases {
    private final RandomGenerator random;

    /** Cases drawn from {@code new Random(seed)}. */
    public RandomCases(long seed) {
        this(new Random(seed));
    }

    public RandomCases(RandomGenerator random) {
        this.random = random;
    }

    /** The underlying generator. */
    public RandomGenerator random() {
        return random;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public boolean nextBoolean() {
        return random.nextBoolean();
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public float nextFloat() {
        return random.nextFloat();
    }

    /** A value in {@code [lo, hiInclusive]}. */
    public int between(int lo, int hiInclusive) {
        return lo + random.nextInt(hiInclusive - lo + 1);
    }

    /** A scale spread log-uniformly over [lo, hi]. */
    public float scale(double lo, double hi) {
        return (float) Math.exp(Math.log(lo) + random.nextDouble() * (Math.log(hi) - Math.log(lo)));
    }

    /** An int8 zero point. */
    public int zeroPoint() {
        return between(-128, 127);
    }

    /** A shape of rank 1..maxRank whose element count is at least {@code minElements} and at most 2048. */
    public int[] shape(int maxRank, int minElements) {
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

    /** A shape of exactly {@code rank} dimensions, each in {@code [min, max]}. */
    public int[] dims(int rank, int min, int max) {
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = between(min, max);
        }
        return shape;
    }

    /** A random permutation of {@code 0..n-1}. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Every int8 value at least once (a shuffled repetition), then random values, {@code n} in all. */
    public byte[] int8sCoveringAll(int n) {
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

    /** {@code n} random bytes. */
    public byte[] int8s(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    /** {@code n} floats uniform in {@code [lo, hi)}. */
    public float[] floats(int n, float lo, float hi) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = lo + random.nextFloat() * (hi - lo);
        }
        return out;
    }

    /** {@code n} floats uniform in {@code [-limit, limit)} (drawn in double). */
    public float[] symmetric(int n, double limit) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
        return out;
    }

    /**
     * Raw bytes for {@code count} elements of {@code type}: float32 Gaussian with standard deviation 10, integers
     * uniform over the type's range, bool 0 or 1.
     */
    public byte[] data(TensorType type, int count) {
        ByteBuffer bb = ByteBuffer.allocate(count * type.bytesPerElement()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            switch (type) {
                case FLOAT32 -> bb.putFloat((float) (random.nextGaussian() * 10));
                case INT8, UINT8, BOOL -> bb.put((byte) random.nextInt(type == TensorType.BOOL ? 2 : 256));
                case INT16 -> bb.putShort((short) random.nextInt(65536));
                case INT32 -> bb.putInt(random.nextInt());
                case INT64 -> bb.putLong(random.nextLong());
                default -> throw new IllegalArgumentException(type.toString());
            }
        }
        return bb.array();
    }

    /** Plausible quantization for a tensor of {@code type}: int8 random scale and zero point, int16 symmetric. */
    public Quantization quantization(TensorType type) {
        return switch (type) {
            case INT8 -> Quantization.perTensor((float) (0.001 + random.nextDouble() * 0.5), random.nextInt(256) - 128);
            case INT16 -> Quantization.perTensor((float) (0.0001 + random.nextDouble() * 0.01), 0);
            default -> Quantization.NONE;
        };
    }
}
