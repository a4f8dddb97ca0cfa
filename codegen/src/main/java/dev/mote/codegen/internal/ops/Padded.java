package dev.mote.codegen.internal.ops;

/** Shapes and strides of rank up to 5 padded at the front to rank 5, as the strided-copy C kernels take them. */
final class Padded {
    private Padded() {
    }

    /** {@code values} padded to 5 entries with {@code fill} in front, each times {@code factor}. */
    static int[] toRank5(int[] values, int fill, int factor) {
        int[] out = new int[5];
        int pad = 5 - values.length;
        for (int d = 0; d < 5; d++) {
            out[d] = d < pad ? fill : values[d - pad] * factor;
        }
        return out;
    }
}
