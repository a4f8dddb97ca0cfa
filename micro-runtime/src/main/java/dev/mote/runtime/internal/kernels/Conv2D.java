package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.Activation;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.TensorType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * CONV_2D on NHWC tensors: input {@code [batch, height, width, inC]}, filter {@code [outC, fh, fw, inC / groups]},
 * optional bias {@code [outC]}, output {@code [batch, outH, outW, outC]}; SAME/VALID padding, stride, dilation,
 * fused activation. int8 follows TFLite's {@code reference_integer_ops::ConvPerChannel} (per-channel or per-tensor
 * int8 weights with zero zero point, int32 bias, 32-bit accumulator, per-channel double-rounding requantization);
 * float32 follows {@code reference_ops::Conv} (same summation order); 16x8 (int16 activations, int8 weights, int32
 * or int64 bias) follows the int16 {@code ConvPerChannel} ({@link #invokeInt16}). Grouped convolution (filter depth
 * dividing the input depth) is supported as in TFLM.
 */
public final class Conv2D extends ConvolutionKernel {
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private ConvolutionGeometry geometry;
    private int batches;
    private int inDepth;
    private int outDepth;
    private int filterDepth;
    private int filtersPerGroup;

    /**
     * TFLM's {@code TfLiteConvParams}: padding, stride_w, stride_h, activation, dilation_w, dilation_h,
     * quantized_bias_type.
     */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).cEnum().int32s(2).cEnum().int32s(2).cEnum().build();
    }

    /**
     * Declares what TFLM allocates for a CONV_2D node with a rank-4 filter: the options struct, then
     * {@code ConvPrepare}'s allocations ({@link #allocateAsTflm}, conv_common.cc), and for an int4 filter the
     * scratch buffer it unpacks the filter into ({@code RequestScratchBufferInArena(filter FlatSize)}, one byte per
     * element, after {@code CalculateOpDataConv}). The one home of CONV_2D's footprint: the kernel's prepare and
     * {@link Conv2DFootprint} (the int4-filter nodes Mote's kernel refuses) both declare it here.
     */
    static void declareFootprint(NodeContext node, MicroTensor filter) {
        node.allocateBuiltinData(builtinData(node.abi()));
        allocateAsTflm(node, filter.dim(0));
        if (filter.type() == TensorType.INT4) {
            node.requestScratch(filter.elementCount()); // the int4 filter unpacked to int8
        }
    }

    @Override
    public void prepare(NodeContext node) {
        node.requireArity(2, 3, 1);
        MicroTensor input = node.requiredInput(0);
        MicroTensor filter = node.requiredInput(1);
        MicroTensor bias = node.inputCount() > 2 ? node.input(2) : null;
        MicroTensor output = node.output(0);
        BuiltinOptions.Conv2D options = node.options(BuiltinOptions.Conv2D.class);
        if (options == null) {
            throw node.fail("builtin_options", "CONV_2D needs Conv2DOptions (stride_w and stride_h have no default)");
        }
        Activation activation = FusedActivation.parse(node, options.activation());
        if (filter.rank() != 4) {
            throw node.fail("filter", "must have rank 4 [out_channels, height, width, in_channels], got shape "
                    + java.util.Arrays.toString(filter.shape()));
        }
        if (filter.dim(1) < 1 || filter.dim(2) < 1 || filter.dim(3) < 1) {
            throw node.fail("filter", "height, width and depth must be >= 1, got shape "
                    + java.util.Arrays.toString(filter.shape()));
        }
        geometry = ConvolutionGeometry.prepare(node, options.padding(), options.strideW(), options.strideH(),
                options.dilationW(), options.dilationH(), input, filter.dim(1), filter.dim(2), output);
        batches = input.dim(0);
        inDepth = input.dim(3);
        outDepth = filter.dim(0);
        filterDepth = filter.dim(3);
        if (output.dim(3) != outDepth) {
            throw node.fail("output", "has " + output.dim(3) + " channels, the filter has " + outDepth
                    + " output channels");
        }
        if (inDepth % filterDepth != 0) {
            throw node.fail("filter", "depth " + filterDepth + " does not divide the input depth " + inDepth);
        }
        int groups = inDepth / filterDepth;
        if (groups == 0 || outDepth % groups != 0) {
            throw node.fail("filter", "output channels " + outDepth + " are not a multiple of the " + groups
                    + " groups (input depth " + inDepth + " / filter depth " + filterDepth + ")");
        }
        filtersPerGroup = outDepth / groups;
        operands = ConvolutionOperands.prepare(node, input, filter, bias, output, outDepth, 0, activation, true);
        declareFootprint(node, filter);
        fastPath = null;
        if (operands.quantized && groups == 1 && constantWeights(filter, bias)) {
            int taps = filter.dim(1) * filter.dim(2);
            PackedFilter packed = PackedFilter.ofConv(filter.data(), filter.dataOffset(), outDepth, taps, inDepth);
            fastPath = new Int8PatchConvolution(geometry, batches, inDepth, packed,
                    new AccumulatorStart(bias, packed, operands.inputOffset, filter.dim(2)),
                    new ChannelRequantizer(operands));
        }
    }

    /*
     * General int8 loops (grouped convolution, or a filter or bias that is not a model constant; see
     * Int8PatchConvolution for the fast path). Per output pixel, output channels are computed four at a time so
     * that every input byte read serves four filters. When the filter width is not dilated and there is a single
     * group, a filter row's taps inside the image and their input channels are one contiguous run in both the input
     * and the filter, so each row is a single dot product. Every channel still sums its taps in TFLite's order
     * (filter row, column, input channel).
     */
    @Override
    public Int8Parameters int8Parameters() {
        return int8Parameters(geometry, batches, inDepth, outDepth, filterDepth, 1);
    }

    @Override
    void invokeInt8(final byte[] in, final int inBase, final byte[] w, final int wBase, final byte[] b,
                    final int bBase, final byte[] out, int outPos) {
        final ConvolutionGeometry g = geometry;
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int fH = g.filterHeight();
        final int fW = g.filterWidth();
        final int dH = g.dilationHeight();
        final int dW = g.dilationWidth();
        final int inC = inDepth;
        final int outC = outDepth;
        final int fC = filterDepth;
        final int perGroup = filtersPerGroup;
        final ConvolutionOperands p = operands;
        final int inOff = p.inputOffset;
        final int[] mult = p.multipliers;
        final int[] sh = p.shifts;
        final int outOff = p.outputOffset;
        final int lo = p.actMin;
        final int hi = p.actMax;
        final int filterStride = fH * fW * fC;
        final int blocked = (dW == 1 && fC == inC) ? outC & ~3 : 0;
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
                    final int run = (fx1 - fx0) * inC;
                    for (int oc = 0; oc < blocked; oc += 4) {
                        int a0 = 0;
                        int a1 = 0;
                        int a2 = 0;
                        int a3 = 0;
                        for (int fy = fy0; fy < fy1; fy++) {
                            final int ip = inBatch + ((iy0 + dH * fy) * inW + ix0 + fx0) * inC;
                            final int w0 = wBase + oc * filterStride + (fy * fW + fx0) * fC;
                            final int w1 = w0 + filterStride;
                            final int w2 = w1 + filterStride;
                            final int w3 = w2 + filterStride;
                            for (int k = 0; k < run; k++) {
                                final int x = in[ip + k] + inOff;
                                a0 += w[w0 + k] * x;
                                a1 += w[w1 + k] * x;
                                a2 += w[w2 + k] * x;
                                a3 += w[w3 + k] * x;
                            }
                        }
                        out[outPos++] = requantize(a0, oc, b, bBase, mult, sh, outOff, lo, hi);
                        out[outPos++] = requantize(a1, oc + 1, b, bBase, mult, sh, outOff, lo, hi);
                        out[outPos++] = requantize(a2, oc + 2, b, bBase, mult, sh, outOff, lo, hi);
                        out[outPos++] = requantize(a3, oc + 3, b, bBase, mult, sh, outOff, lo, hi);
                    }
                    for (int oc = blocked; oc < outC; oc++) {
                        final int groupBase = (oc / perGroup) * fC;
                        final int wOc = wBase + oc * filterStride;
                        int acc = 0;
                        for (int fy = fy0; fy < fy1; fy++) {
                            final int inRow = inBatch + (iy0 + dH * fy) * inW * inC + groupBase;
                            final int wRow = wOc + fy * fW * fC;
                            for (int fx = fx0; fx < fx1; fx++) {
                                final int ip = inRow + (ix0 + dW * fx) * inC;
                                final int wp = wRow + fx * fC;
                                for (int ic = 0; ic < fC; ic++) {
                                    acc += w[wp + ic] * (in[ip + ic] + inOff);
                                }
                            }
                        }
                        out[outPos++] = requantize(acc, oc, b, bBase, mult, sh, outOff, lo, hi);
                    }
                }
            }
        }
    }

    /** Adds the bias, requantizes with the channel's multiplier, adds the output zero point and clamps. */
    private static byte requantize(int acc, int oc, byte[] b, int bBase, int[] multipliers, int[] shifts,
                                   int outputOffset, int actMin, int actMax) {
        if (b != null) {
            acc += (int) INT32.get(b, bBase + 4 * oc);
        }
        acc = QuantizedMath.multiplyByQuantizedMultiplier(acc, multipliers[oc], shifts[oc]) + outputOffset;
        return (byte) (acc < actMin ? actMin : (acc > actMax ? actMax : acc));
    }

    /**
     * TFLite's 16x8 {@code ConvPerChannel}: no input offset, taps in the order filter row, column, input channel of
     * the group, bias and requantization by {@link Int16Requantization}.
     */
    @Override
    void invokeInt16(final byte[] in, final int inBase, final byte[] w, final int wBase, final byte[] b,
                     final int bBase, final byte[] out, final int outBase) {
        final ConvolutionGeometry g = geometry;
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int fW = g.filterWidth();
        final int dH = g.dilationHeight();
        final int dW = g.dilationWidth();
        final int fC = filterDepth;
        final int filterStride = g.filterHeight() * fW * fC;
        final Int16Requantization q = operands.int16;
        int o = 0;
        for (int batch = 0; batch < batches; batch++) {
            final int inBatch = batch * inH * inW * inDepth;
            for (int oy = 0; oy < g.outHeight(); oy++) {
                final int iy0 = g.originY(oy);
                final int fy0 = g.firstTapY(oy);
                final int fy1 = g.endTapY(oy);
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    final int ix0 = g.originX(ox);
                    final int fx0 = g.firstTapX(ox);
                    final int fx1 = g.endTapX(ox);
                    for (int oc = 0; oc < outDepth; oc++, o++) {
                        final int groupBase = (oc / filtersPerGroup) * fC;
                        final int wOc = wBase + oc * filterStride;
                        long acc = 0;
                        for (int fy = fy0; fy < fy1; fy++) {
                            final int inRow = inBatch + (iy0 + dH * fy) * inW * inDepth + groupBase;
                            final int wRow = wOc + fy * fW * fC;
                            for (int fx = fx0; fx < fx1; fx++) {
                                final int ip = inRow + (ix0 + dW * fx) * inDepth;
                                final int wp = wRow + fx * fC;
                                for (int ic = 0; ic < fC; ic++) {
                                    acc += w[wp + ic] * Int16Requantization.int16(in, inBase, ip + ic);
                                }
                            }
                        }
                        q.write(acc, b, bBase, oc, out, outBase, o);
                    }
                }
            }
        }
    }

    @Override
    void invokeFloat(final byte[] in, final int inBase, final byte[] w, final int wBase, final byte[] b,
                     final int bBase, final byte[] out, int outPos) {
        final ConvolutionGeometry g = geometry;
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int fH = g.filterHeight();
        final int fW = g.filterWidth();
        final int dH = g.dilationHeight();
        final int dW = g.dilationWidth();
        final int inC = inDepth;
        final int outC = outDepth;
        final int fC = filterDepth;
        final int perGroup = filtersPerGroup;
        final float lo = operands.floatMin;
        final float hi = operands.floatMax;
        final int filterStride = fH * fW * fC;
        for (int batch = 0; batch < batches; batch++) {
            final int inBatch = batch * inH * inW * inC;
            for (int oy = 0; oy < outH; oy++) {
                final int iy0 = g.originY(oy);
                final int fy0 = g.firstTapY(oy);
                final int fy1 = g.endTapY(oy);
                for (int ox = 0; ox < outW; ox++) {
                    final int ix0 = g.originX(ox);
                    final int fx0 = g.firstTapX(ox);
                    final int fx1 = g.endTapX(ox);
                    for (int oc = 0; oc < outC; oc++) {
                        final int groupBase = (oc / perGroup) * fC;
                        final int wOc = oc * filterStride;
                        float total = 0f;
                        for (int fy = fy0; fy < fy1; fy++) {
                            final int inRow = inBatch + (iy0 + dH * fy) * inW * inC + groupBase;
                            final int wRow = wOc + fy * fW * fC;
                            for (int fx = fx0; fx < fx1; fx++) {
                                final int ip = inBase + 4 * (inRow + (ix0 + dW * fx) * inC);
                                final int wp = wBase + 4 * (wRow + fx * fC);
                                for (int ic = 0; ic < fC; ic++) {
                                    total += (float) FLOAT32.get(in, ip + 4 * ic) * (float) FLOAT32.get(w, wp + 4 * ic);
                                }
                            }
                        }
                        float biasValue = b == null ? 0f : (float) FLOAT32.get(b, bBase + 4 * oc);
                        FLOAT32.set(out, outPos, QuantizedMath.clamp(total + biasValue, lo, hi));
                        outPos += 4;
                    }
                }
            }
        }
    }
}
