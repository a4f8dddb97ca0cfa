package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.vocabulary.Padding;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;

/**
 * Where a sliding window (convolution filter or pooling window) lands on an NHWC input: output size, padding and,
 * for every output row and column, the range of filter taps that fall inside the image. Shared by CONV_2D,
 * DEPTHWISE_CONV_2D, MAX_POOL_2D and AVERAGE_POOL_2D.
 *
 * <p>Sizes and padding follow TFLite's {@code ComputePaddingHeightWidth}: SAME gives
 * {@code ceil(in / stride)} outputs, VALID {@code ceil((in - effectiveFilter + 1) / stride)}, with
 * {@code effectiveFilter = (filter - 1) * dilation + 1}; the padding before the first element is
 * {@code max(0, (out - 1) * stride + effectiveFilter - in) / 2} (any odd remainder goes after the last element).
 * Taps outside the image are skipped, which is TFLite's zero padding.
 *
 * <pre>{@code
 * ConvolutionGeometry g = ConvolutionGeometry.of(Padding.SAME, 2, 2, 1, 1, 49, 40, 10, 8);
 * // g.outHeight() == 25, g.outWidth() == 20, g.padHeight() == 4, g.padWidth() == 3
 * }</pre>
 */
public final class ConvolutionGeometry {
    /** Largest window extent (filter with dilation) accepted, so that padding and origins stay within int. */
    static final int MAX_WINDOW = 1 << 24;

    private final int strideHeight;
    private final int strideWidth;
    private final int dilationHeight;
    private final int dilationWidth;
    private final int inHeight;
    private final int inWidth;
    private final int filterHeight;
    private final int filterWidth;
    private final int outHeight;
    private final int outWidth;
    private final int padHeight;
    private final int padWidth;
    private final int[] firstTapY;
    private final int[] endTapY;
    private final int[] firstTapX;
    private final int[] endTapX;

    private ConvolutionGeometry(Padding padding, int strideHeight, int strideWidth, int dilationHeight,
                                int dilationWidth, int inHeight, int inWidth, int filterHeight, int filterWidth) {
        this.strideHeight = strideHeight;
        this.strideWidth = strideWidth;
        this.dilationHeight = dilationHeight;
        this.dilationWidth = dilationWidth;
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.filterHeight = filterHeight;
        this.filterWidth = filterWidth;
        this.outHeight = outSize(padding, inHeight, filterHeight, strideHeight, dilationHeight);
        this.outWidth = outSize(padding, inWidth, filterWidth, strideWidth, dilationWidth);
        this.padHeight = padding(strideHeight, dilationHeight, inHeight, filterHeight, outHeight);
        this.padWidth = padding(strideWidth, dilationWidth, inWidth, filterWidth, outWidth);
        this.firstTapY = new int[outHeight];
        this.endTapY = new int[outHeight];
        tapRanges(outHeight, strideHeight, padHeight, dilationHeight, inHeight, filterHeight, firstTapY, endTapY);
        this.firstTapX = new int[outWidth];
        this.endTapX = new int[outWidth];
        tapRanges(outWidth, strideWidth, padWidth, dilationWidth, inWidth, filterWidth, firstTapX, endTapX);
    }

    /**
     * The geometry of a window; all arguments must already be valid (strides, dilations and filter sizes
     * {@code >= 1}, image sizes {@code >= 0}, effective filter no larger than the image for VALID padding).
     */
    public static ConvolutionGeometry of(Padding padding, int strideHeight, int strideWidth, int dilationHeight,
                                         int dilationWidth, int inHeight, int inWidth, int filterHeight,
                                         int filterWidth) {
        if (padding == null || strideHeight < 1 || strideWidth < 1 || dilationHeight < 1 || dilationWidth < 1
                || filterHeight < 1 || filterWidth < 1 || inHeight < 0 || inWidth < 0) {
            throw new IllegalArgumentException("invalid window: padding " + padding + ", stride " + strideHeight + "x"
                    + strideWidth + ", dilation " + dilationHeight + "x" + dilationWidth + ", filter " + filterHeight
                    + "x" + filterWidth + ", input " + inHeight + "x" + inWidth);
        }
        return new ConvolutionGeometry(padding, strideHeight, strideWidth, dilationHeight, dilationWidth, inHeight,
                inWidth, filterHeight, filterWidth);
    }

    /**
     * Validates a node's window options and its NHWC input and output, then computes the geometry. Fails (naming
     * the schema field) on an unknown padding code, a stride or dilation below 1, an input or output that is not
     * rank 4, a window larger than a VALID-padded image, or an output whose batch, height or width differs from
     * what TFLite computes. Filter sizes must have been checked by the caller (they come from a tensor or from
     * options depending on the op).
     */
    /** TFLM's {@code TfLitePaddingValues} (width, height, width_offset, height_offset), part of several OpData. */
    static CStruct paddingValues(Abi abi) {
        return CStruct.of(abi).int32s(4).build();
    }

    static ConvolutionGeometry prepare(NodeContext node, int paddingCode, int strideWidth, int strideHeight,
                                       int dilationWidth, int dilationHeight, MicroTensor input, int filterHeight,
                                       int filterWidth, MicroTensor output) {
        Padding padding = Padding.fromCode(paddingCode);
        if (padding == null) {
            throw node.fail("padding", "unknown value " + paddingCode + " (expected 0 = SAME or 1 = VALID)");
        }
        requireAtLeastOne(node, "stride_w", strideWidth);
        requireAtLeastOne(node, "stride_h", strideHeight);
        requireAtLeastOne(node, "dilation_w_factor", dilationWidth);
        requireAtLeastOne(node, "dilation_h_factor", dilationHeight);
        requireRank4(node, "input", input);
        requireRank4(node, "output", output);
        if (input.dim(0) != output.dim(0)) {
            throw node.fail("output", "batch " + output.dim(0) + " differs from the input's batch " + input.dim(0));
        }
        int inHeight = input.dim(1);
        int inWidth = input.dim(2);
        long effectiveHeight = (long) (filterHeight - 1) * dilationHeight + 1;
        long effectiveWidth = (long) (filterWidth - 1) * dilationWidth + 1;
        if (effectiveHeight > MAX_WINDOW) {
            throw node.fail("dilation_h_factor", "window height (filter - 1) * dilation + 1 = " + effectiveHeight
                    + " exceeds " + MAX_WINDOW);
        }
        if (effectiveWidth > MAX_WINDOW) {
            throw node.fail("dilation_w_factor", "window width (filter - 1) * dilation + 1 = " + effectiveWidth
                    + " exceeds " + MAX_WINDOW);
        }
        if (padding == Padding.VALID) {
            if (effectiveHeight > inHeight || effectiveWidth > inWidth) {
                throw node.fail("padding", "VALID window of " + effectiveHeight + "x" + effectiveWidth
                        + " (filter with dilation) does not fit the " + inHeight + "x" + inWidth + " input");
            }
        }
        ConvolutionGeometry g = of(padding, strideHeight, strideWidth, dilationHeight, dilationWidth, inHeight,
                inWidth, filterHeight, filterWidth);
        if (output.dim(1) != g.outHeight || output.dim(2) != g.outWidth) {
            throw node.fail("output", "shape " + java.util.Arrays.toString(output.shape()) + " has height x width "
                    + output.dim(1) + "x" + output.dim(2) + ", but " + padding + " padding with stride "
                    + strideHeight + "x" + strideWidth + " gives " + g.outHeight + "x" + g.outWidth);
        }
        return g;
    }

    private static void requireAtLeastOne(NodeContext node, String field, int value) {
        if (value < 1) {
            throw node.fail(field, "must be >= 1, got " + value);
        }
    }

    private static void requireRank4(NodeContext node, String what, MicroTensor t) {
        if (t.rank() != 4) {
            throw node.fail(what, "must have rank 4 [batch, height, width, channels], got shape "
                    + java.util.Arrays.toString(t.shape()));
        }
    }

    /** TFLite's {@code ComputeOutSize}. */
    static int outSize(Padding padding, int imageSize, int filterSize, int stride, int dilation) {
        long effective = (long) (filterSize - 1) * dilation + 1;
        long size = padding == Padding.SAME ? ((long) imageSize + stride - 1) / stride
                : ((long) imageSize + stride - effective) / stride;
        return (int) Math.max(0, size);
    }

    /** TFLite's {@code ComputePaddingWithOffset}: the padding before the first element. */
    static int padding(int stride, int dilation, int inSize, int filterSize, int outSize) {
        long effective = (long) (filterSize - 1) * dilation + 1;
        long total = (long) (outSize - 1) * stride + effective - inSize;
        return (int) (Math.max(0, total) / 2);
    }

    private static void tapRanges(int outSize, int stride, int pad, int dilation, int inSize, int filterSize,
                                  int[] first, int[] end) {
        for (int o = 0; o < outSize; o++) {
            int origin = o * stride - pad;
            // tap t is inside iff 0 <= origin + dilation * t < inSize
            int lo = origin >= 0 ? 0 : ceilDiv(-origin, dilation);
            int hi = inSize - origin <= 0 ? 0 : ceilDiv(inSize - origin, dilation);
            first[o] = Math.min(lo, filterSize);
            end[o] = Math.max(first[o], Math.min(hi, filterSize));
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    public int strideHeight() {
        return strideHeight;
    }

    public int strideWidth() {
        return strideWidth;
    }

    public int dilationHeight() {
        return dilationHeight;
    }

    public int dilationWidth() {
        return dilationWidth;
    }

    public int inHeight() {
        return inHeight;
    }

    public int inWidth() {
        return inWidth;
    }

    public int filterHeight() {
        return filterHeight;
    }

    public int filterWidth() {
        return filterWidth;
    }

    public int outHeight() {
        return outHeight;
    }

    public int outWidth() {
        return outWidth;
    }

    /** Padding before the first row. */
    public int padHeight() {
        return padHeight;
    }

    /** Padding before the first column. */
    public int padWidth() {
        return padWidth;
    }

    /** The input row of tap 0 for output row {@code outY} (negative inside the top padding). */
    public int originY(int outY) {
        return outY * strideHeight - padHeight;
    }

    /** The input column of tap 0 for output column {@code outX}. */
    public int originX(int outX) {
        return outX * strideWidth - padWidth;
    }

    /** The first filter row whose input row is inside the image, for output row {@code outY}. */
    public int firstTapY(int outY) {
        return firstTapY[outY];
    }

    /** One past the last filter row inside the image, for output row {@code outY}. */
    public int endTapY(int outY) {
        return endTapY[outY];
    }

    /** The first filter column inside the image, for output column {@code outX}. */
    public int firstTapX(int outX) {
        return firstTapX[outX];
    }

    /** One past the last filter column inside the image, for output column {@code outX}. */
    public int endTapX(int outX) {
        return endTapX[outX];
    }

    @Override
    public String toString() {
        return "window " + filterHeight + "x" + filterWidth + " stride " + strideHeight + "x" + strideWidth
                + " dilation " + dilationHeight + "x" + dilationWidth + " on " + inHeight + "x" + inWidth + " -> "
                + outHeight + "x" + outWidth + " (padding " + padHeight + ", " + padWidth + ")";
    }
}
