package dev.mote.runtime.testing;

import dev.mote.vocabulary.Rounding;

import dev.mote.runtime.internal.QuantizedMath;

/**
 * int8 MEAN as TFLM computes it and as desktop TFLite 2.8 does, both recomputed from the int32 sum of the raw input
 * values of one output element. TFLM's reference {@code QuantizedMeanOrSum} removes the zero point and requantizes
 * once, with {@code 1/n} folded into the multiplier of {@code input_scale / output_scale}. Desktop TFLite takes one of
 * three other paths ({@link Path}), each of which can land 1 LSB away.
 *
 * <pre>{@code
 * DesktopMean.Path path = DesktopMean.path(rank, keepDims, axes, inScale, inZp, outScale, outZp);
 * int tflm = DesktopMean.tflm(sum, n, inScale, inZp, outScale, outZp);
 * int desktop = DesktopMean.desktop(path, sum, n, inScale, inZp, outScale, outZp);
 * }</pre>
 */
public final class DesktopMean {
    /** The path desktop TFLite 2.8 takes for an int8 MEAN. */
    public enum Path {
        /**
         * 4D input, keep_dims, axis tensor exactly {1, 2} or {2, 1}: {@code reference_integer_ops::Mean} — the
         * rescaled sum, then a second rounding when dividing by {@code n}.
         */
        SPATIAL("spatial double rounding"),
        /** Other axes, same scale and zero point in and out: {@code sum / n} of the raw values, truncated. */
        TRUNCATING("truncating division"),
        /** Other axes, other scale or zero point: float arithmetic, {@code round(sum / n * s - zp * s) + zp'}. */
        FLOAT("float arithmetic");

        private final String description;

        Path(String description) {
            this.description = description;
        }

        /** What this path does differently, e.g. "truncating division". */
        public String description() {
            return description;
        }
    }

    private DesktopMean() {
    }

    /** The path desktop TFLite 2.8 takes for a MEAN of this rank, keep_dims, axis tensor and quantization. */
    public static Path path(int rank, boolean keepDims, int[] axes, float inScale, int inZp, float outScale,
                            int outZp) {
        boolean spatial = keepDims && rank == 4 && axes.length == 2
                && ((axes[0] == 1 && axes[1] == 2) || (axes[0] == 2 && axes[1] == 1));
        if (spatial) {
            return Path.SPATIAL;
        }
        return inScale == outScale && inZp == outZp ? Path.TRUNCATING : Path.FLOAT;
    }

    /** TFLM's reference {@code QuantizedMeanOrSum} (mean) of {@code n} values summing to {@code sum}. */
    public static int tflm(long sum, int n, float inScale, int inZp, float outScale, int outZp) {
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier((double) inScale / (double) outScale);
        int shift = Math.min(Math.min(63 - Long.numberOfLeadingZeros(n), 32), 31 + m.shift());
        int multiplier = (int) (((long) m.multiplier() << shift) / n);
        int q = QuantizedMath.multiplyByQuantizedMultiplier((int) (sum - (long) inZp * n), multiplier,
                m.shift() - shift) + outZp;
        return Math.max(-128, Math.min(127, q));
    }

    /** Desktop TFLite 2.8's int8 MEAN on {@code path} of {@code n} values summing to {@code sum}. */
    public static int desktop(Path path, long sum, int n, float inScale, int inZp, float outScale, int outZp) {
        switch (path) {
            case SPATIAL -> {
                QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier((double) inScale / (double) outScale);
                int acc = QuantizedMath.multiplyByQuantizedMultiplier((int) (sum - (long) inZp * n), m);
                acc = acc > 0 ? (acc + n / 2) / n : (acc - n / 2) / n;
                return Math.max(-128, Math.min(127, acc + outZp));
            }
            case TRUNCATING -> {
                return (int) Math.max(-128, Math.min(127, sum / n));
            }
            default -> {
                float scale = inScale / outScale;
                float bias = -inZp * scale;
                float mean = (float) sum / (float) n;
                float result = Rounding.halfAwayFromZero(mean * scale + bias) + outZp;
                return (int) Math.max(-128f, Math.min(127f, result));
            }
        }
    }

    /**
     * The sums of the raw int8 values of {@code data} (shape {@code shape}) over the reduced dimensions, one per
     * output element in row-major order of the kept dimensions.
     */
    public static long[] sums(byte[] data, int[] shape, boolean[] reduced) {
        int outCount = 1;
        for (int d = 0; d < shape.length; d++) {
            outCount *= reduced[d] ? 1 : shape[d];
        }
        long[] sums = new long[outCount];
        int[] index = new int[shape.length];
        for (int i = 0; i < data.length; i++) {
            int o = 0;
            for (int d = 0; d < shape.length; d++) {
                if (!reduced[d]) {
                    o = o * shape[d] + index[d];
                }
            }
            sums[o] += data[i];
            for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) {
                index[d] = 0;
            }
        }
        return sums;
    }

    /** Which dimensions of a rank-{@code rank} input the (possibly negative, possibly repeated) axes reduce. */
    public static boolean[] reduced(int rank, int[] axes) {
        boolean[] red = new boolean[rank];
        for (int a : axes) {
            red[a < 0 ? a + rank : a] = true;
        }
        return red;
    }

    /** How many input values each output element averages. */
    public static int reducedCount(int[] shape, boolean[] reduced) {
        int n = 1;
        for (int d = 0; d < shape.length; d++) {
            n *= reduced[d] ? shape[d] : 1;
        }
        return n;
    }
}
