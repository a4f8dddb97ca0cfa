package dev.mote.runtime.testing;

/**
 * Sliding-window sizes as TFLite computes them ({@code ComputeOutSize}, {@code ComputePaddingHeightWidth}), written
 * out for the tests independently of the kernels' {@code ConvolutionGeometry}.
 */
public final class Windows {
    private Windows() {
    }

    /** The output size of one spatial dimension with SAME ({@code same}) or VALID padding. */
    public static int outSize(boolean same, int in, int filter, int stride, int dilation) {
        int effective = (filter - 1) * dilation + 1;
        return same ? (in + stride - 1) / stride : (in - effective + stride) / stride;
    }

    /** The padding before the first element of one spatial dimension (0 for VALID padding). */
    public static int padBefore(int in, int filter, int stride, int dilation, int out) {
        int effective = (filter - 1) * dilation + 1;
        return Math.max(0, (out - 1) * stride + effective - in) / 2;
    }
}
