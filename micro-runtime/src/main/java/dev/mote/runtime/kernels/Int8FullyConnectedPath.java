package dev.mote.runtime.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.QuantizedMath;

/**
 * The fast int8 FULLY_CONNECTED loop for a constant filter and a constant (or absent) bias, the layout every
 * converter writes. TFLM sums {@code (weight + filterOffset) * (input + inputOffset)} and adds the bias; with 32-bit
 * wrap-around arithmetic that equals {@code sum(w' * input) + inputOffset * sum(w') + bias} with
 * {@code w' = weight + filterOffset}, so the second and third terms are computed once here and the hot loop is a
 * plain dot product of int arrays (which the JIT can turn into SIMD code). Requantization uses the branch-free
 * prepared form of {@code MultiplyByQuantizedMultiplier}, proven equal to TFLM's in {@link QuantizedMath}.
 *
 * <p>Costs Java heap, not arena: the filter as ints (4 bytes per weight) and one input row, allocated at prepare.
 */
final class Int8FullyConnectedPath {
    /** Filters above this many weights keep the plain loop (the packed copy would take 4 bytes per weight). */
    static final int MAX_WEIGHTS = 1 << 20;

    private final int outputDepth;
    private final int accumDepth;
    private final int[] weights;
    private final int[] start;
    private final int[] row;
    private final int multiplier;
    private final int leftShift;
    private final long roundingAddend;
    private final long negativeAdjust;
    private final int rightShift;
    private final int outputOffset;
    private final int actMin;
    private final int actMax;

    private Int8FullyConnectedPath(MicroTensor filter, MicroTensor bias, int outputDepth, int accumDepth,
                                   int inputOffset, int filterOffset, int multiplier, int shift, int outputOffset,
                                   int actMin, int actMax) {
        this.outputDepth = outputDepth;
        this.accumDepth = accumDepth;
        this.weights = new int[outputDepth * accumDepth];
        this.start = new int[outputDepth];
        this.row = new int[accumDepth];
        byte[] w = filter.data();
        int base = filter.dataOffset();
        for (int o = 0; o < outputDepth; o++) {
            int sum = 0;
            for (int d = 0; d < accumDepth; d++) {
                int v = w[base + o * accumDepth + d] + filterOffset;
                weights[o * accumDepth + d] = v;
                sum += v;
            }
            start[o] = inputOffset * sum + (bias == null ? 0 : bias.getInt32(o));
        }
        this.multiplier = multiplier;
        this.leftShift = QuantizedMath.leftShift(shift);
        this.roundingAddend = QuantizedMath.roundingAddend(shift);
        this.negativeAdjust = QuantizedMath.negativeAdjust(shift);
        this.rightShift = QuantizedMath.totalRightShift(shift);
        this.outputOffset = outputOffset;
        this.actMin = actMin;
        this.actMax = actMax;
    }

    /**
     * The fast path for this node, or null where the plain loop must run: a filter or bias that is not a constant
     * of the model, a filter above {@link #MAX_WEIGHTS}, or a multiplier outside the prepared form's domain.
     */
    static Int8FullyConnectedPath prepare(MicroTensor filter, MicroTensor bias, int outputDepth, int accumDepth,
                                          int inputOffset, int filterOffset, int multiplier, int shift,
                                          int outputOffset, int actMin, int actMax) {
        if (!filter.isConstant() || (bias != null && !bias.isConstant())
                || (long) outputDepth * accumDepth > MAX_WEIGHTS
                || multiplier == Integer.MIN_VALUE || shift < -31) {
            return null;
        }
        return new Int8FullyConnectedPath(filter, bias, outputDepth, accumDepth, inputOffset, filterOffset,
                multiplier, shift, outputOffset, actMin, actMax);
    }

    void invoke(int batches, byte[] in, int inBase, byte[] out, int outBase) {
        final int depth = accumDepth;
        final int[] x = row;
        final int[] w = weights;
        for (int batch = 0; batch < batches; batch++) {
            int inRow = inBase + batch * depth;
            for (int d = 0; d < depth; d++) {
                x[d] = in[inRow + d];
            }
            int outRow = outBase + batch * outputDepth;
            for (int o = 0; o < outputDepth; o++) {
                out[outRow + o] = requantize(start[o] + dot(w, o * depth, x, depth));
            }
        }
    }

    private static int dot(int[] w, int from, int[] x, int depth) {
        int acc = 0;
        for (int d = 0; d < depth; d++) {
            acc += w[from + d] * x[d];
        }
        return acc;
    }

    private byte requantize(int acc) {
        int v = QuantizedMath.multiplyByQuantizedMultiplier(acc, multiplier, leftShift, roundingAddend,
                negativeAdjust, rightShift) + outputOffset;
        return (byte) (v < actMin ? actMin : (v > actMax ? actMax : v));
    }
}
