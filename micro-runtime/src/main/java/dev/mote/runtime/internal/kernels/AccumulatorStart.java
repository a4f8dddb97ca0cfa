package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The value a fast-path accumulator starts from, so that the hot loop only sums {@code weight * input}. TFLM sums
 * {@code weight * (input + inputOffset)} over the taps inside the image, then adds the bias; with 32-bit
 * wrap-around arithmetic that equals {@code sum(weight * input) + inputOffset * sum(weight) + bias}, where both sums
 * run over the same inside taps only: padded taps contribute nothing in TFLM (they are not
 * {@code (0 + inputOffset) * weight}). Interior pixels use all taps, precomputed once; border pixels add up the
 * per-tap terms of their inside taps (four lookups in a summed-area table; differences wrap exactly).
 */
final class AccumulatorStart {
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final int[] bias;
    /** Summed-area table of the per-tap terms: entry {@code y * (fw + 1) + x} sums taps {@code fy < y, fx < x}. */
    private final int[][] tapTermTable;
    private final int[] interior;
    private final int filterWidth;
    private final int channels;

    /**
     * @param bias        the int32 bias (constant), or {@code null}
     * @param filter      the packed filter (its tap sums)
     * @param inputOffset {@code -inputZeroPoint}
     */
    AccumulatorStart(MicroTensor bias, PackedFilter filter, int inputOffset, int filterWidth) {
        this.channels = filter.channels();
        this.filterWidth = filterWidth;
        this.bias = new int[channels];
        if (bias != null) {
            for (int c = 0; c < channels; c++) {
                this.bias[c] = (int) INT32.get(bias.data(), bias.dataOffset() + 4 * c);
            }
        }
        int[][] sums = filter.tapSums();
        int filterHeight = sums.length / filterWidth;
        int w1 = filterWidth + 1;
        this.tapTermTable = new int[(filterHeight + 1) * w1][channels];
        for (int y = 1; y <= filterHeight; y++) {
            for (int x = 1; x <= filterWidth; x++) {
                int[] entry = tapTermTable[y * w1 + x];
                int[] tap = sums[(y - 1) * filterWidth + (x - 1)];
                int[] up = tapTermTable[(y - 1) * w1 + x];
                int[] left = tapTermTable[y * w1 + x - 1];
                int[] diagonal = tapTermTable[(y - 1) * w1 + x - 1];
                for (int c = 0; c < channels; c++) {
                    entry[c] = inputOffset * tap[c] + up[c] + left[c] - diagonal[c];
                }
            }
        }
        this.interior = this.bias.clone();
        LaneLoops.add(interior, tapTermTable[filterHeight * w1 + filterWidth], channels);
    }

    /** Starts {@code acc} for a pixel whose taps are all inside the image. */
    void interior(int[] acc) {
        System.arraycopy(interior, 0, acc, 0, channels);
    }

    /** Starts {@code acc} for a pixel whose inside taps are rows {@code [fy0, fy1)} x columns {@code [fx0, fx1)}. */
    void border(int[] acc, int fy0, int fy1, int fx0, int fx1) {
        int w1 = filterWidth + 1;
        LaneLoops.rectangleSum(acc, bias, tapTermTable[fy1 * w1 + fx1], tapTermTable[fy0 * w1 + fx1],
                tapTermTable[fy1 * w1 + fx0], tapTermTable[fy0 * w1 + fx0], channels);
    }

    /** Approximate Java heap bytes held. */
    long heapBytes() {
        long row = 16L + 4L * channels;
        return 2 * row + 16L + tapTermTable.length * (row + 4);
    }
}
