package dev.mote.runtime.internal.kernels;

/**
 * The int8 FULLY_CONNECTED fast path, built from the convolutions' parts: a layer is a 1x1 convolution of a 1x1
 * image per batch row, so its filter packs like a CONV_2D filter with one tap ({@link PackedFilter}), each row's
 * accumulators start from the bias plus the input-offset term ({@link AccumulatorStart}), the products run in
 * {@link PairPackedRows} (few outputs) or {@link LaneLoops}, and {@link ChannelRequantizer} requantizes with the
 * layer's one multiplier for every output. No per-pixel window bookkeeping: each batch row is one "pixel".
 */
final class Int8FullyConnectedPath implements Int8ConvolutionPath {
    private final int batches;
    private final int depth;
    private final int outputs;
    /** The packed filter for the lane loops, or {@code null} when {@link #pairs} holds the weights. */
    private final PackedFilter filter;
    private final AccumulatorStart start;
    private final ChannelRequantizer requantizer;
    private final PairPackedRows pairs;
    private final int[] row;
    private final int[] acc;

    Int8FullyConnectedPath(int batches, PackedFilter filter, AccumulatorStart start, ChannelRequantizer requantizer) {
        this.batches = batches;
        this.depth = filter.rows().length;
        this.outputs = filter.channels();
        this.start = start;
        this.requantizer = requantizer;
        this.pairs = PairPackedRows.worthIt(depth, outputs) ? new PairPackedRows(filter.rows(), outputs) : null;
        // the pairs hold all the weights: the packed rows need not stay on the heap
        this.filter = pairs == null ? filter : null;
        this.row = new int[depth];
        this.acc = new int[outputs];
    }

    @Override
    public void run(byte[] in, int inBase, byte[] out, int outPos) {
        final int[] x = row;
        final int[] a = acc;
        final int[][] r = pairs == null ? filter.rows() : null;
        final int n = outputs;
        for (int batch = 0; batch < batches; batch++) {
            int from = inBase + batch * depth;
            for (int d = 0; d < depth; d++) {
                x[d] = in[from + d];
            }
            start.interior(a);
            if (pairs != null) {
                pairs.multiplyAdd(x, a);
            } else {
                int d = 0;
                for (; d + 4 <= depth; d += 4) {
                    LaneLoops.multiplyAdd4(a, r[d], r[d + 1], r[d + 2], r[d + 3], x[d], x[d + 1], x[d + 2], x[d + 3],
                            n);
                }
                for (; d < depth; d++) {
                    LaneLoops.multiplyAdd1(a, r[d], x[d], n);
                }
            }
            requantizer.write(a, out, outPos + batch * n);
        }
    }

    @Override
    public long heapBytes() {
        return (pairs == null ? filter.heapBytes() : pairs.heapBytes()) + start.heapBytes() + requantizer.heapBytes()
                + 32L + 4L * (depth + outputs);
    }
}
