package dev.mote.runtime.kernels;

import java.util.Arrays;

/**
 * The int8 fast path of DEPTHWISE_CONV_2D (any input depth, any depth multiplier): input rows are widened once
 * per invoke into {@code int} pixels holding one lane per output channel (input channel {@code c} repeated
 * {@code depth_multiplier} times), kept in a small ring of {@code (fh - 1) * dilation_h + 1} rows; each output
 * pixel then multiplies tap rows and pixels lane by lane ({@link LaneLoops}, vectorized by C2). Accumulators start
 * from {@link AccumulatorStart}, so results equal TFLM's {@code DepthwiseConvPerChannel} bit for bit.
 *
 * <p>Java heap: the {@link PackedFilter} (one row per tap), the {@link AccumulatorStart}, the ring of
 * {@code ring * inWidth} pixels of {@code outChannels} ints and an accumulator, all allocated once.
 */
final class Int8DepthwiseChannels implements Int8ConvolutionPath {
    private final ConvolutionGeometry geometry;
    private final int batches;
    private final int inDepth;
    private final int multiplier;
    private final int channels;
    private final int[][] taps;
    private final PackedFilter filter;
    private final AccumulatorStart start;
    private final ChannelRequantizer requantizer;
    private final int[] acc;
    private final int[][][] ring;
    private final int[] ringRow;

    Int8DepthwiseChannels(ConvolutionGeometry geometry, int batches, int inDepth, int multiplier,
                          PackedFilter filter, AccumulatorStart start, ChannelRequantizer requantizer) {
        this.geometry = geometry;
        this.batches = batches;
        this.inDepth = inDepth;
        this.multiplier = multiplier;
        this.channels = filter.channels();
        this.taps = filter.rows();
        this.filter = filter;
        this.start = start;
        this.requantizer = requantizer;
        this.acc = new int[channels];
        this.ring = new int[slots(geometry)][geometry.inWidth()][channels];
        this.ringRow = new int[ring.length];
    }

    /** The largest ring (Java heap bytes) worth allocating; larger nodes run the general loops. */
    static final long MAX_RING_BYTES = 8L << 20;

    /** Ring rows: the input rows one output row reads span {@code (fh - 1) * dilation_h + 1} rows of the image. */
    private static int slots(ConvolutionGeometry g) {
        long span = (long) (g.filterHeight() - 1) * g.dilationHeight() + 1;
        return (int) Math.max(1, Math.min(span, g.inHeight()));
    }

    /** Heap bytes of the ring for this geometry and channel count, to check against {@link #MAX_RING_BYTES}. */
    static long ringBytes(ConvolutionGeometry g, int channels) {
        return slots(g) * (16L + g.inWidth() * (20L + 4L * channels));
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
        final int n = channels;
        final int[][] t = taps;
        final int[] a = acc;
        final int slots = ring.length;
        for (int batch = 0; batch < batches; batch++) {
            final int inBatch = inBase + batch * inH * inW * inDepth;
            Arrays.fill(ringRow, -1);
            for (int oy = 0; oy < outH; oy++) {
                final int iy0 = g.originY(oy);
                final int fy0 = g.firstTapY(oy);
                final int fy1 = g.endTapY(oy);
                for (int fy = fy0; fy < fy1; fy++) {
                    final int iy = iy0 + dH * fy;
                    final int slot = iy % slots;
                    if (ringRow[slot] != iy) {
                        widenRow(in, inBatch + iy * inW * inDepth, ring[slot]);
                        ringRow[slot] = iy;
                    }
                }
                for (int ox = 0; ox < outW; ox++) {
                    final int ix0 = g.originX(ox);
                    final int fx0 = g.firstTapX(ox);
                    final int fx1 = g.endTapX(ox);
                    final boolean fullRow = fx0 == 0 && fx1 == fW;
                    if (fy0 == 0 && fy1 == fH && fullRow) {
                        start.interior(a);
                    } else {
                        start.border(a, fy0, fy1, fx0, fx1);
                    }
                    for (int fy = fy0; fy < fy1; fy++) {
                        final int[][] row = ring[(iy0 + dH * fy) % slots];
                        final int tapRow = fy * fW;
                        if (fullRow && fW == 3) {
                            LaneLoops.multiplyAddLanes3(a, t[tapRow], row[ix0], t[tapRow + 1], row[ix0 + dW],
                                    t[tapRow + 2], row[ix0 + 2 * dW], n);
                        } else {
                            for (int fx = fx0; fx < fx1; fx++) {
                                LaneLoops.multiplyAddLanes(a, t[tapRow + fx], row[ix0 + dW * fx], n);
                            }
                        }
                    }
                    requantizer.write(a, out, outPos);
                    outPos += n;
                }
            }
        }
    }

    /** Widens one input row into int pixels, each input channel repeated {@code multiplier} times. */
    private void widenRow(byte[] in, int p, int[][] pixels) {
        final int inC = inDepth;
        final int m = multiplier;
        for (int[] px : pixels) {
            if (m == 1) {
                for (int c = 0; c < inC; c++) {
                    px[c] = in[p + c];
                }
            } else {
                for (int c = 0, oc = 0; c < inC; c++) {
                    final int v = in[p + c];
                    for (int k = 0; k < m; k++, oc++) {
                        px[oc] = v;
                    }
                }
            }
            p += inC;
        }
    }

    @Override
    public long heapBytes() {
        long pixel = 16L + 4L * channels;
        return filter.heapBytes() + start.heapBytes() + requantizer.heapBytes() + pixel
                + ring.length * (16L + ring[0].length * (pixel + 4)) + 16L + 4L * ringRow.length;
    }
}
