package dev.mote.runtime.internal.kernels;

/**
 * A constant int8 convolution filter widened once (at prepare) into the layout the fast paths stream: one
 * {@code int[outChannels]} row per filter element {@code k = tap * depth + inputChannel} (tap = filter row * filter
 * width + filter column), holding that element's weight for every output channel. Also keeps, per tap, the sum of
 * the tap's weights over its input channels, which {@link AccumulatorStart} turns into the input-offset correction.
 *
 * <p>Java heap: {@code 4 * outChannels * (taps * depth + taps)} bytes plus one array header per row.
 */
final class PackedFilter {
    private final int[][] rows;
    private final int[][] tapSums;
    private final int depth;
    private final int channels;

    private PackedFilter(int[][] rows, int taps, int depth, int channels) {
        this.rows = rows;
        this.depth = depth;
        this.channels = channels;
        this.tapSums = new int[taps][channels];
        for (int t = 0; t < taps; t++) {
            for (int d = 0; d < depth; d++) {
                LaneLoops.add(tapSums[t], rows[t * depth + d], channels);
            }
        }
    }

    /** A CONV_2D filter {@code [outChannels, fh, fw, depth]} starting at {@code w[base]}. */
    static PackedFilter ofConv(byte[] w, int base, int outChannels, int taps, int depth) {
        int[][] rows = new int[taps * depth][outChannels];
        for (int oc = 0; oc < outChannels; oc++) {
            int p = base + oc * taps * depth;
            for (int k = 0; k < taps * depth; k++) {
                rows[k][oc] = w[p + k];
            }
        }
        return new PackedFilter(rows, taps, depth, outChannels);
    }

    /** A DEPTHWISE_CONV_2D filter {@code [1, fh, fw, channels]} starting at {@code w[base]}: one row per tap. */
    static PackedFilter ofDepthwise(byte[] w, int base, int taps, int channels) {
        int[][] rows = new int[taps][channels];
        for (int t = 0; t < taps; t++) {
            for (int c = 0; c < channels; c++) {
                rows[t][c] = w[base + t * channels + c];
            }
        }
        return new PackedFilter(rows, taps, 1, channels);
    }

    /** Row {@code k}: the weights of filter element {@code k} for every output channel. Do not modify. */
    int[][] rows() {
        return rows;
    }

    /** Per tap and output channel, the sum of the tap's weights over the input channels. Do not modify. */
    int[][] tapSums() {
        return tapSums;
    }

    int depth() {
        return depth;
    }

    int channels() {
        return channels;
    }

    /** Approximate Java heap bytes held (array payloads plus 16-byte headers). */
    long heapBytes() {
        long rowBytes = 16L + 4L * channels;
        return 16L + rows.length * (rowBytes + 4) + 16L + tapSums.length * (rowBytes + 4);
    }
}
