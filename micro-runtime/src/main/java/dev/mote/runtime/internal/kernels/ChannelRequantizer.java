package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.internal.QuantizedMath;

/**
 * The last step of an int8 convolution (or FULLY_CONNECTED) for one output pixel: every channel's accumulator (bias already added) goes
 * through TFLM's {@code MultiplyByQuantizedMultiplier} with the channel's multiplier and shift (in the branch-free
 * prepared forms of {@link QuantizedMath}, shifts prepared once), gets the output zero point and is clamped to the
 * fused activation's range.
 */
final class ChannelRequantizer {
    private final int[] multipliers;
    private final int[] shifts;
    private final int[] leftShifts;
    private final long[] roundingAddends;
    private final long[] negativeAdjusts;
    private final int[] rightShifts;
    private final boolean branchFree;
    /** All shifts negative: the shorter right-shift form applies to every channel. */
    private final boolean rightShiftsOnly;
    /**
     * One multiplier and one negative shift for every channel (per-tensor quantization, FULLY_CONNECTED): the
     * right-shift form with loop-invariant operands, which C2 compiles to a markedly shorter loop.
     */
    private final boolean uniformRightShift;
    private final int outputOffset;
    private final int actMin;
    private final int actMax;

    ChannelRequantizer(ConvolutionOperands operands) {
        this(operands.multipliers, operands.shifts, operands.outputOffset, operands.actMin, operands.actMax);
    }

    /** Output channel {@code c} gets {@code multipliers[c]} and {@code shifts[c]} (from {@link QuantizedMath}). */
    ChannelRequantizer(int[] multipliers, int[] shifts, int outputOffset, int actMin, int actMax) {
        this.multipliers = multipliers;
        this.shifts = shifts;
        this.outputOffset = outputOffset;
        this.actMin = actMin;
        this.actMax = actMax;
        int n = multipliers.length;
        this.leftShifts = new int[n];
        this.roundingAddends = new long[n];
        this.negativeAdjusts = new long[n];
        this.rightShifts = new int[n];
        boolean ok = true;
        boolean right = true;
        for (int c = 0; c < n; c++) {
            leftShifts[c] = QuantizedMath.leftShift(shifts[c]);
            roundingAddends[c] = QuantizedMath.roundingAddend(shifts[c]);
            negativeAdjusts[c] = QuantizedMath.negativeAdjust(shifts[c]);
            rightShifts[c] = QuantizedMath.totalRightShift(shifts[c]);
            ok &= multipliers[c] != Integer.MIN_VALUE && shifts[c] >= -31;
            right &= shifts[c] < 0;
        }
        this.branchFree = ok;
        this.rightShiftsOnly = ok && right;
        boolean uniform = rightShiftsOnly;
        for (int c = 1; c < n && uniform; c++) {
            uniform = multipliers[c] == multipliers[0] && shifts[c] == shifts[0];
        }
        this.uniformRightShift = uniform && n > 0;
    }

    /** Writes {@code acc[0 .. channels)} requantized to {@code out[pos ..]}. */
    void write(int[] acc, byte[] out, int pos) {
        write(acc, 0, out, pos);
    }

    /** Writes {@code acc[from .. from + channels)} requantized to {@code out[pos ..]}. */
    void write(int[] acc, int from, byte[] out, int pos) {
        final int[] m = multipliers;
        final int offset = outputOffset;
        final int lo = actMin;
        final int hi = actMax;
        final int n = m.length;
        if (uniformRightShift) {
            final int m0 = m[0];
            final long addend0 = roundingAddends[0];
            final int right0 = rightShifts[0];
            for (int c = 0; c < n; c++) {
                int v = QuantizedMath.multiplyByQuantizedMultiplierRightShift(acc[from + c], m0, addend0, right0)
                        + offset;
                out[pos + c] = (byte) (v < lo ? lo : (v > hi ? hi : v));
            }
        } else if (rightShiftsOnly) {
            final long[] addend = roundingAddends;
            final int[] right = rightShifts;
            for (int c = 0; c < n; c++) {
                int v = QuantizedMath.multiplyByQuantizedMultiplierRightShift(acc[from + c], m[c], addend[c],
                        right[c]) + offset;
                out[pos + c] = (byte) (v < lo ? lo : (v > hi ? hi : v));
            }
        } else if (branchFree) {
            final int[] left = leftShifts;
            final long[] addend = roundingAddends;
            final long[] negative = negativeAdjusts;
            final int[] right = rightShifts;
            for (int c = 0; c < n; c++) {
                int v = QuantizedMath.multiplyByQuantizedMultiplier(acc[from + c], m[c], left[c], addend[c],
                        negative[c], right[c]) + offset;
                out[pos + c] = (byte) (v < lo ? lo : (v > hi ? hi : v));
            }
        } else {
            final int[] s = shifts;
            for (int c = 0; c < n; c++) {
                int v = QuantizedMath.multiplyByQuantizedMultiplier(acc[from + c], m[c], s[c]) + offset;
                out[pos + c] = (byte) (v < lo ? lo : (v > hi ? hi : v));
            }
        }
    }

    /** Approximate Java heap bytes of the prepared shifts. */
    long heapBytes() {
        return 4 * 16L + 24L * multipliers.length;
    }
}
