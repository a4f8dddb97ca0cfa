package dev.mote.dsl;

import dev.mote.vocabulary.Padding;

/**
 * TFLite's sliding-window arithmetic ({@code tensorflow/lite/kernels/padding.h}), shared by convolutions and
 * pooling: the dilated kernel extent, the output size for SAME and VALID padding, and the implicit padding.
 */
final class Windows {
    private Windows() {
    }

    /** The extent a kernel covers with dilation: {@code (kernel - 1) * dilation + 1}. */
    static long effectiveKernel(int kernel, int dilation) {
        return (long) (kernel - 1) * dilation + 1;
    }

    /**
     * The output size along one axis: SAME {@code ceil(in / stride)}, VALID {@code floor((in - k_eff) / stride) + 1}
     * (TFLite writes it as {@code (in + stride - k_eff) / stride}). Callers check {@code k_eff <= in} for VALID first.
     */
    static long outputSize(Padding padding, long in, int kernel, int stride, int dilation) {
        long effective = effectiveKernel(kernel, dilation);
        return padding == Padding.SAME ? (in + stride - 1) / stride : (in - effective) / stride + 1;
    }

    /** The zeros TFLite adds before the first element (SAME padding; the extra odd one goes after). */
    static long paddingBefore(Padding padding, long in, int kernel, int stride, int dilation) {
        return totalPadding(padding, in, kernel, stride, dilation) / 2;
    }

    /** All zeros TFLite adds along one axis: {@code max(0, (out - 1) * stride + k_eff - in)} for SAME, 0 for VALID. */
    static long totalPadding(Padding padding, long in, int kernel, int stride, int dilation) {
        if (padding != Padding.SAME) {
            return 0;
        }
        long out = outputSize(padding, in, kernel, stride, dilation);
        return Math.max(0, (out - 1) * stride + effectiveKernel(kernel, dilation) - in);
    }
}
