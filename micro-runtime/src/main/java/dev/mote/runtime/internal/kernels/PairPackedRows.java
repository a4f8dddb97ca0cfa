package dev.mote.runtime.internal.kernels;

/**
 * The scalar inner loop for convolutions with few output channels (where C2's vector loops are mostly prologue and
 * epilogue): two output channels share one 64-bit multiply. Weights of channels {@code 2p} and {@code 2p + 1} are
 * packed as {@code w0 + w1 * 2^32}; multiplied by an int8 input {@code x} that gives {@code w0 * x + w1 * x * 2^32},
 * so a 64-bit sum over the patch holds both channels' sums. The low channel's sum is at most
 * {@code depth * 128 * 128} in magnitude, below 2^31 when {@code depth <= }{@link #MAX_DEPTH}, so the low 32 bits
 * are exactly that sum and the rest, shifted down, exactly the high channel's sum: the results equal the plain
 * 32-bit accumulation.
 *
 * <p>Java heap: {@code 8 * depth * ceil(channels / 2)} bytes.
 */
final class PairPackedRows {
    /** Largest patch depth for which a channel's sum of int8 products stays below 2^31 in magnitude. */
    static final int MAX_DEPTH = (Integer.MAX_VALUE >> 14) - 1;
    /** Output channel counts below this use the scalar pairs; from it on the lane loops are faster. */
    static final int MAX_CHANNELS = 24;

    private final long[] packed;
    private final int depth;
    private final int channels;
    private final int pairCount;

    /** True when this path is both exact ({@code depth <= MAX_DEPTH}) and faster than the lane loops. */
    static boolean worthIt(int depth, int channels) {
        return depth <= MAX_DEPTH && channels < MAX_CHANNELS;
    }

    /** @param rows the {@link PackedFilter} rows: {@code rows[k][channel]} */
    PairPackedRows(int[][] rows, int channels) {
        this.depth = rows.length;
        this.channels = channels;
        this.pairCount = (channels + 1) / 2;
        this.packed = new long[depth * pairCount];
        for (int k = 0; k < depth; k++) {
            for (int p = 0; p < pairCount; p++) {
                long low = rows[k][2 * p];
                long high = 2 * p + 1 < channels ? rows[k][2 * p + 1] : 0;
                packed[k * pairCount + p] = low + (high << 32);
            }
        }
    }

    /** {@code acc[c] += sum_k x[k] * weight[k][c]} for every channel. */
    void multiplyAdd(int[] x, int[] acc) {
        final long[] w = packed;
        final int pc = pairCount;
        final int d = depth;
        int p = 0;
        for (; p + 4 <= pc; p += 4) {
            long s0 = 0;
            long s1 = 0;
            long s2 = 0;
            long s3 = 0;
            for (int k = 0, i = p; k < d; k++, i += pc) {
                final long v = x[k];
                s0 += w[i] * v;
                s1 += w[i + 1] * v;
                s2 += w[i + 2] * v;
                s3 += w[i + 3] * v;
            }
            unpack(s0, p, acc);
            unpack(s1, p + 1, acc);
            unpack(s2, p + 2, acc);
            unpack(s3, p + 3, acc);
        }
        for (; p < pc; p++) {
            long s = 0;
            for (int k = 0, i = p; k < d; k++, i += pc) {
                s += w[i] * x[k];
            }
            unpack(s, p, acc);
        }
    }

    private void unpack(long sum, int pair, int[] acc) {
        int low = (int) sum;
        acc[2 * pair] += low;
        if (2 * pair + 1 < channels) {
            acc[2 * pair + 1] += (int) ((sum - low) >> 32);
        }
    }

    long heapBytes() {
        return 16L + 8L * packed.length;
    }
}
