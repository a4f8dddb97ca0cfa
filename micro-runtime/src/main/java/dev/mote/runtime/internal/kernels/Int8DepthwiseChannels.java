package dev.mote.runtime.internal.kernels;

import java.util.Arrays;

/**
 * The int8 fast path of DEPTHWISE_CONV_2D (any input depth, any depth multiplier). Output pixels are processed in
 * groups of {@code B} neighbours along the row ({@code B * channels} about 64 lanes, so that few channels still make
 * long vector loops): each input row is widened once per invoke, for every filter column and group, into an
 * {@code int} lane array holding, pixel after pixel of the group, the input value under that tap for every output
 * channel (input channel {@code c} repeated {@code depth_multiplier} times), and 0 where the tap falls into the
 * padding. A group then multiplies tap weights (repeated {@code B} times) and lane arrays lane by lane
 * ({@link LaneLoops}, vectorized by C2). The rows one output row reads stay in a ring of
 * {@code (fh - 1) * dilation_h + 1} slots. Accumulators start from {@link AccumulatorStart}, per pixel, with the
 * input-offset correction of that pixel's inside taps only; the zeros of padded taps add nothing, so results equal
 * TFLM's {@code DepthwiseConvPerChannel} bit for bit.
 *
 * <p>Java heap, allocated once: the {@link PackedFilter}, the {@link AccumulatorStart}, the tap weights repeated
 * {@code B} times, and per ring slot {@code fw * ceil(outWidth / B)} lane arrays of {@code B * channels} ints (with
 * {@code B = 1} they are the widened input pixels themselves, shared by the taps that read them).
 */
final class Int8DepthwiseChannels implements Int8ConvolutionPath {
    /** The largest ring (Java heap bytes) worth allocating; larger nodes run the general loops. */
    static final long MAX_RING_BYTES = 8L << 20;
    /** Lanes a group aims at: enough for C2's vector loop to run its unrolled body. */
    private static final int TARGET_LANES = 64;
    private static final int MAX_GROUP = 8;

    private final ConvolutionGeometry geometry;
    private final int batches;
    private final int inDepth;
    private final int multiplier;
    private final int channels;
    private final int group;
    private final int groupsPerRow;
    /** Per tap, the tap's weights repeated {@code group} times. */
    private final int[][] groupTaps;
    private final PackedFilter filter;
    private final AccumulatorStart start;
    private final ChannelRequantizer requantizer;
    private final int[] acc;
    private final int[] pixelStart;
    /** Per slot, filter column and group: the lane array. */
    private final int[][][][] ring;
    /** Per slot, the widened input pixels (group size 1 only: lane arrays point at them or at {@link #zeros}). */
    private final int[][][] pixels;
    private final int[] zeros;
    private final int[] ringRow;
    /** One widened input row (group size above 1), copied from into the lane arrays. */
    private final int[] rowLanes;

    Int8DepthwiseChannels(ConvolutionGeometry geometry, int batches, int inDepth, int multiplier,
                          PackedFilter filter, AccumulatorStart start, ChannelRequantizer requantizer) {
        this.geometry = geometry;
        this.batches = batches;
        this.inDepth = inDepth;
        this.multiplier = multiplier;
        this.channels = filter.channels();
        this.group = groupSize(geometry, channels);
        this.groupsPerRow = ceilDiv(geometry.outWidth(), group);
        this.filter = filter;
        this.start = start;
        this.requantizer = requantizer;
        int lanes = group * channels;
        int[][] taps = filter.rows();
        this.groupTaps = new int[taps.length][lanes];
        for (int t = 0; t < taps.length; t++) {
            for (int j = 0; j < group; j++) {
                System.arraycopy(taps[t], 0, groupTaps[t], j * channels, channels);
            }
        }
        this.acc = new int[lanes];
        this.pixelStart = new int[channels];
        int slots = slots(geometry);
        int fW = geometry.filterWidth();
        this.ring = new int[slots][fW][groupsPerRow][];
        this.zeros = new int[lanes];
        if (group == 1) {
            this.pixels = new int[slots][geometry.inWidth()][channels];
            this.rowLanes = null;
        } else {
            this.pixels = null;
            this.rowLanes = new int[geometry.inWidth() * channels];
            for (int[][][] slot : ring) {
                for (int[][] column : slot) {
                    for (int g = 0; g < groupsPerRow; g++) {
                        column[g] = new int[lanes];
                    }
                }
            }
        }
        this.ringRow = new int[slots];
    }

    private static int groupSize(ConvolutionGeometry g, int channels) {
        int b = Math.max(1, Math.min(MAX_GROUP, ceilDiv(TARGET_LANES, Math.max(1, channels))));
        return Math.max(1, Math.min(b, g.outWidth()));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Ring rows: the input rows one output row reads span {@code (fh - 1) * dilation_h + 1} rows of the image. */
    private static int slots(ConvolutionGeometry g) {
        long span = (long) (g.filterHeight() - 1) * g.dilationHeight() + 1;
        return (int) Math.max(1, Math.min(span, g.inHeight()));
    }

    /** Heap bytes of the ring for this geometry and channel count, to check against {@link #MAX_RING_BYTES}. */
    static long ringBytes(ConvolutionGeometry g, int channels) {
        long b = groupSize(g, channels);
        long groups = ceilDiv(g.outWidth(), (int) b);
        long laneArrays = (long) g.filterWidth() * (16 + groups * 4);
        long perSlot = b == 1 ? laneArrays + 16 + g.inWidth() * (20L + 4L * channels)
                : laneArrays + (long) g.filterWidth() * groups * (16 + 4 * b * channels);
        return slots(g) * (16 + perSlot);
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
        final int c = channels;
        final int b = group;
        final int lanes = b * c;
        final int[][] t = groupTaps;
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
                        widenRow(in, inBatch + iy * inW * inDepth, slot);
                        ringRow[slot] = iy;
                    }
                }
                for (int gi = 0, ox0 = 0; gi < groupsPerRow; gi++, ox0 += b) {
                    final int count = Math.min(b, outW - ox0);
                    for (int j = 0; j < count; j++) {
                        final int ox = ox0 + j;
                        final int fx0 = g.firstTapX(ox);
                        final int fx1 = g.endTapX(ox);
                        if (fy0 == 0 && fy1 == fH && fx0 == 0 && fx1 == fW) {
                            start.interior(pixelStart);
                        } else {
                            start.border(pixelStart, fy0, fy1, fx0, fx1);
                        }
                        System.arraycopy(pixelStart, 0, a, j * c, c);
                    }
                    for (int fy = fy0; fy < fy1; fy++) {
                        final int[][][] row = ring[(iy0 + dH * fy) % slots];
                        final int tapRow = fy * fW;
                        int fx = 0;
                        for (; fx + 3 <= fW; fx += 3) {
                            LaneLoops.multiplyAddLanes3(a, t[tapRow + fx], row[fx][gi], t[tapRow + fx + 1],
                                    row[fx + 1][gi], t[tapRow + fx + 2], row[fx + 2][gi], lanes);
                        }
                        for (; fx < fW; fx++) {
                            LaneLoops.multiplyAddLanes(a, t[tapRow + fx], row[fx][gi], lanes);
                        }
                    }
                    for (int j = 0; j < count; j++) {
                        requantizer.write(a, j * c, out, outPos);
                        outPos += c;
                    }
                }
            }
        }
    }

    /**
     * Widens input row {@code p} (byte offset of its first element) into ring slot {@code slot}: for every filter
     * column and group, the lane array of the values that column's tap reads for the group's pixels.
     */
    private void widenRow(byte[] in, int p, int slot) {
        final ConvolutionGeometry g = geometry;
        final int inW = g.inWidth();
        final int outW = g.outWidth();
        final int c = channels;
        final int b = group;
        final int[][][] columns = ring[slot];
        if (b == 1) {
            final int[][] px = pixels[slot];
            for (int ix = 0; ix < inW; ix++) {
                widenPixels(in, p + ix * inDepth, 1, px[ix]);
            }
            for (int fx = 0; fx < columns.length; fx++) {
                final int[][] column = columns[fx];
                for (int ox = 0; ox < outW; ox++) {
                    final int ix = g.originX(ox) + g.dilationWidth() * fx;
                    column[ox] = ix >= 0 && ix < inW ? px[ix] : zeros;
                }
            }
            return;
        }
        final int[] flat = rowLanes;
        widenPixels(in, p, inW, flat);
        for (int fx = 0; fx < columns.length; fx++) {
            final int[][] column = columns[fx];
            for (int gi = 0; gi < groupsPerRow; gi++) {
                final int[] lanes = column[gi];
                for (int j = 0; j < b; j++) {
                    final int ox = gi * b + j;
                    final int ix = g.originX(ox) + g.dilationWidth() * fx;
                    if (ox < outW && ix >= 0 && ix < inW) {
                        System.arraycopy(flat, ix * c, lanes, j * c, c);
                    } else {
                        Arrays.fill(lanes, j * c, (j + 1) * c, 0);
                    }
                }
            }
        }
    }

    /** {@code count} consecutive input pixels from byte {@code p} as ints, each channel repeated. */
    private void widenPixels(byte[] in, int p, int count, int[] to) {
        final int m = multiplier;
        final int n = count * inDepth;
        if (m == 1) {
            for (int i = 0; i < n; i++) {
                to[i] = in[p + i];
            }
        } else {
            for (int i = 0, oc = 0; i < n; i++) {
                final int v = in[p + i];
                for (int k = 0; k < m; k++, oc++) {
                    to[oc] = v;
                }
            }
        }
    }

    @Override
    public long heapBytes() {
        long lanes = (long) group * channels;
        return filter.heapBytes() + start.heapBytes() + requantizer.heapBytes()
                + 16L + groupTaps.length * (20L + 4 * lanes) + 2 * (16L + 4 * lanes) + 16L + 4L * channels
                + ringBytes(geometry, channels) + 16L + 4L * ringRow.length
                + (rowLanes == null ? 0 : 16L + 4L * rowLanes.length);
    }
}
