package dev.mote.runtime.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.QuantizedMath;

/**
 * The fast int8 FULLY_CONNECTED loop for a constant filter and a constant (or absent) bias, the layout every
 * converter writes. TFLM sums {@code (weight + filterOffset) * (input + inputOffset)} and adds the bias; with 32-bit
 * wrap-around arithmetic that equals {@code sum(w' * input) + inputOffset * sum(w') + bias} with
 * {@code w' = weight + filterOffset}, so the second and third terms are computed once here and the hot loop only
 * multiplies and adds. Few outputs (hello_world's 16 and 1, a classifier head's 4 to 12) with int8 weights
 * ({@code filterOffset == 0}, the converter's layout) use {@link PairPackedRows}, two outputs per 64-bit multiply;
 * otherwise the filter is stored transposed and each input value is added into all output accumulators at once, a
 * loop over outputs the JIT turns into SIMD code. Requantization uses the branch-free prepared form of
 * {@code MultiplyByQuantizedMultiplier}, proven equal to TFLM's in {@link QuantizedMath}.
 *
 * <p>Costs Java heap, not arena: the filter as ints (4 bytes per weight; pairs: 8 bytes per two weights), one
 * input row and one accumulator row, allocated at prepare.
 */
final class Int8FullyConnectedPath {
    /** Filters above this many weights keep the plain loop (the packed copy would take 4 bytes per weight). */
    static final int MAX_WEIGHTS = 1 << 20;

    private final int outputDepth;
    private final int accumDepth;
    /** {@code [accumDepth][outputDepth]}, or null when {@link #pairs} holds the filter. */
    private final int[] weights;
    private final PairPackedRows pairs;
    private final int[] start;
    private final int[] row;
    private final int[] acc;
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
        this.start = new int[outputDepth];
        this.row = new int[accumDepth];
        this.acc = new int[outputDepth];
        byte[] w = filter.data();
        int base = filter.dataOffset();
        int[] transposed = new int[accumDepth * outputDepth];
        for (int o = 0; o < outputDepth; o++) {
            int sum = 0;
            for (int d = 0; d < accumDepth; d++) {
                int v = w[base + o * accumDepth + d] + filterOffset;
                transposed[d * outputDepth + o] = v;
                sum += v;
            }
            start[o] = inputOffset * sum + (bias == null ? 0 : bias.getInt32(o));
        }
        if (filterOffset == 0 && PairPackedRows.worthIt(accumDepth, outputDepth)) {
            this.pairs = new PairPackedRows(transposed, accumDepth, outputDepth);
            this.weights = null;
        } else {
            this.pairs = null;
            this.weights = transposed;
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
        for (int batch = 0; batch < batches; batch++) {
            int inRow = inBase + batch * depth;
            for (int d = 0; d < depth; d++) {
                x[d] = in[inRow + d];
            }
            int outRow = outBase + batch * outputDepth;
            if (pairs != null) {
                System.arraycopy(start, 0, acc, 0, outputDepth);
                pairs.multiplyAdd(x, acc);
            } else {
                accumulateLanes(x);
            }
            for (int o = 0; o < outputDepth; o++) {
                out[outRow + o] = requantize(acc[o]);
            }
        }
    }

    /** {@code acc[o] = start[o] + sum_d w'[d][o] * x[d]}, the loop over outputs innermost. */
    private void accumulateLanes(int[] x) {
        final int n = outputDepth;
        final int[] a = acc;
        final int[] w = weights;
        System.arraycopy(start, 0, a, 0, n);
        final int depth = accumDepth;
        int d = 0;
        for (; d + 4 <= depth; d += 4) {
            int x0 = x[d];
            int x1 = x[d + 1];
            int x2 = x[d + 2];
            int x3 = x[d + 3];
            int f0 = d * n;
            int f1 = f0 + n;
            int f2 = f1 + n;
            int f3 = f2 + n;
            for (int o = 0; o < n; o++) {
                a[o] += w[f0 + o] * x0 + w[f1 + o] * x1 + w[f2 + o] * x2 + w[f3 + o] * x3;
            }
        }
        for (; d < depth; d++) {
            int xd = x[d];
            int from = d * n;
            for (int o = 0; o < n; o++) {
                a[o] += w[from + o] * xd;
            }
        }
    }

    private byte requantize(int acc) {
        int v = QuantizedMath.multiplyByQuantizedMultiplier(acc, multiplier, leftShift, roundingAddend,
                negativeAdjust, rightShift) + outputOffset;
        return (byte) (v < actMin ? actMin : (v > actMax ? actMax : v));
    }
}
