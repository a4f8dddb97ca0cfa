package dev.mote.runtime.internal.kernels;

import java.util.Arrays;

/**
 * The int8 fast path of CONV_2D with one group, and of DEPTHWISE_CONV_2D with one input channel (which is the same
 * computation): per output pixel, the input values under the filter are gathered into a patch (zeros for padded
 * taps), and every patch element {@code x} adds {@code x * row} to the pixel's int accumulators for all output
 * channels at once ({@link LaneLoops#multiplyAdd4}, which C2 vectorizes; with fewer than
 * {@link PairPackedRows#MAX_CHANNELS} output channels, where vector loops are mostly prologue and epilogue, the
 * scalar {@link PairPackedRows} loop instead). Accumulators start from {@link AccumulatorStart} (bias and input-offset
 * correction of the inside taps only), so results equal TFLM's {@code ConvPerChannel} bit for bit.
 *
 * <p>Java heap: the {@link PackedFilter} (or, for few channels, the {@link PairPackedRows} made from it), the
 * {@link AccumulatorStart}, the {@link ChannelRequantizer}'s prepared shifts, an {@code int[outChannels]}
 * accumulator and an {@code int[fh * fw * depth]} patch; all allocated once, nothing per invoke.
 */
final class Int8PatchConvolution implements Int8ConvolutionPath {
    private final ConvolutionGeometry geometry;
    private final int batches;
    private final int depth;
    private final int channels;
    /** The packed filter for the lane loops, or {@code null} when {@link #pairs} holds the weights. */
    private final PackedFilter filter;
    private final int[][] rows;
    private final int depthTimesTaps;
    private final AccumulatorStart start;
    private final ChannelRequantizer requantizer;
    private final int[] acc;
    private final int[] patch;
    /** Pair-packed weights for the scalar path ({@link PairPackedRows}), or {@code null} for the lane loops. */
    private final PairPackedRows pairs;

    /**
     * @param depth the input depth (CONV_2D) or 1 (DEPTHWISE_CONV_2D on a one-channel input)
     */
    Int8PatchConvolution(ConvolutionGeometry geometry, int batches, int depth, PackedFilter filter,
                         AccumulatorStart start, ChannelRequantizer requantizer) {
        this.geometry = geometry;
        this.batches = batches;
        this.depth = depth;
        this.channels = filter.channels();
        this.depthTimesTaps = filter.rows().length;
        this.start = start;
        this.requantizer = requantizer;
        this.acc = new int[channels];
        this.patch = new int[depthTimesTaps];
        this.pairs = PairPackedRows.worthIt(depthTimesTaps, channels)
                ? new PairPackedRows(filter.rows(), channels) : null;
        // the pairs hold all the weights: the packed rows need not stay on the heap
        this.filter = pairs == null ? filter : null;
        this.rows = pairs == null ? filter.rows() : null;
    }

    @Override
    public void run(byte[] in, int inBase, byte[] out, int outPos) {
        final ConvolutionGeometry g = geometry;
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int fH = g.filterHeight();
        final int fW = g.filterWidth();
        final int dH = g.dilationHeight();
        final int dW = g.dilationWidth();
        final int inC = depth;
        final int n = channels;
        final int[][] r = rows;
        final int[] a = acc;
        final int[] x = patch;
        final int k4 = depthTimesTaps & ~3;
        for (int batch = 0; batch < batches; batch++) {
            final int inBatch = inBase + batch * inH * inW * inC;
            for (int oy = 0; oy < outH; oy++) {
                final int iy0 = g.originY(oy);
                final int fy0 = g.firstTapY(oy);
                final int fy1 = g.endTapY(oy);
                for (int ox = 0; ox < outW; ox++) {
                    final int ix0 = g.originX(ox);
                    final int fx0 = g.firstTapX(ox);
                    final int fx1 = g.endTapX(ox);
                    if (fy0 == 0 && fy1 == fH && fx0 == 0 && fx1 == fW) {
                        start.interior(a);
                    } else {
                        start.border(a, fy0, fy1, fx0, fx1);
                        Arrays.fill(x, 0);
                    }
                    for (int fy = fy0; fy < fy1; fy++) {
                        final int inRow = inBatch + (iy0 + dH * fy) * inW * inC;
                        if (dW == 1) {
                            // the row's inside taps and their channels are one run in both input and patch
                            copy(in, inRow + (ix0 + fx0) * inC, x, (fy * fW + fx0) * inC, (fx1 - fx0) * inC);
                        } else {
                            for (int fx = fx0; fx < fx1; fx++) {
                                copy(in, inRow + (ix0 + dW * fx) * inC, x, (fy * fW + fx) * inC, inC);
                            }
                        }
                    }
                    if (pairs != null) {
                        pairs.multiplyAdd(x, a);
                    } else {
                        int k = 0;
                        for (; k < k4; k += 4) {
                            LaneLoops.multiplyAdd4(a, r[k], r[k + 1], r[k + 2], r[k + 3], x[k], x[k + 1], x[k + 2],
                                    x[k + 3], n);
                        }
                        for (; k < depthTimesTaps; k++) {
                            LaneLoops.multiplyAdd1(a, r[k], x[k], n);
                        }
                    }
                    requantizer.write(a, out, outPos);
                    outPos += n;
                }
            }
        }
    }

    private static void copy(byte[] from, int fromPos, int[] to, int toPos, int length) {
        for (int i = 0; i < length; i++) {
            to[toPos + i] = from[fromPos + i];
        }
    }

    @Override
    public long heapBytes() {
        return (pairs == null ? filter.heapBytes() : pairs.heapBytes()) + start.heapBytes() + requantizer.heapBytes()
                + 32L + 4L * (channels + patch.length);
    }
}
