package dev.mote.runtime.kernels;

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
 * per-tap terms of their inside taps.
 */
final class AccumulatorStart {
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final int[] bias;
    private final int[][] tapTerms;
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
        this.tapTerms = new int[sums.length][channels];
        this.interior = this.bias.clone();
        for (int t = 0; t < sums.length; t++) {
            for (int c = 0; c < channels; c++) {
                tapTerms[t][c] = inputOffset * sums[t][c];
            }
            LaneLoops.add(interior, tapTerms[t], channels);
        }
    }

    /** Starts {@code acc} for a pixel whose taps are all inside the image. */
    void interior(int[] acc) {
        System.arraycopy(interior, 0, acc, 0, channels);
    }

    /** Starts {@code acc} for a pixel whose inside taps are rows {@code [fy0, fy1)} x columns {@code [fx0, fx1)}. */
    void border(int[] acc, int fy0, int fy1, int fx0, int fx1) {
        System.arraycopy(bias, 0, acc, 0, channels);
        for (int fy = fy0; fy < fy1; fy++) {
            for (int fx = fx0; fx < fx1; fx++) {
                LaneLoops.add(acc, tapTerms[fy * filterWidth + fx], channels);
            }
        }
    }

    /** Approximate Java heap bytes held. */
    long heapBytes() {
        long row = 16L + 4L * channels;
        return 3 * row + 16L + tapTerms.length * (row + 4);
    }
}
