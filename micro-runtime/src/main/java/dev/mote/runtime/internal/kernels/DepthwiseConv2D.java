package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.Activation;
import dev.mote.runtime.format.BuiltinOptions;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * DEPTHWISE_CONV_2D on NHWC tensors: input {@code [batch, height, width, inC]}, filter {@code [1, fh, fw, outC]}
 * with {@code outC = inC * depth_multiplier}, optional bias {@code [outC]}; output channel
 * {@code c * depth_multiplier + m} convolves input channel {@code c} with filter channel {@code c * depth_multiplier
 * + m}. SAME/VALID padding, stride, dilation, fused activation. int8 follows TFLite's
 * {@code reference_integer_ops::DepthwiseConvPerChannel} (weights per channel along dimension 3 or per tensor, zero
 * filter zero point, int32 bias); float32 follows {@code reference_ops::DepthwiseConv} (same summation order for
 * every output); 16x8 (int16 activations, int8 weights, int64 bias) the int16 {@code DepthwiseConvPerChannel}
 * ({@link #invokeInt16}).
 */
public final class DepthwiseConv2D extends ConvolutionKernel {
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private ConvolutionGeometry geometry;
    private int batches;
    private int inDepth;
    private int outDepth;
    private int depthMultiplier;
    private int[] accumulators;
    private float[] totals;

    /**
     * TFLM's {@code TfLiteDepthwiseConvParams}: padding, stride_w, stride_h, depth_multiplier, activation,
     * dilation_w, dilation_h.
     */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).cEnum().int32s(3).cEnum().int32s(2).build();
    }

    /**
     * Declares what TFLM allocates for a DEPTHWISE_CONV_2D node: the options struct, then
     * {@code DepthwiseConvPrepare}'s allocations ({@link #allocateAsTflm}). The one home of DEPTHWISE_CONV_2D's
     * footprint: the kernel's prepare and {@link DepthwiseConv2DFootprint} (the 16x8 nodes with an int32 bias Mote
     * refuses) both declare it here.
     */
    static void declareFootprint(NodeContext node, MicroTensor filter) {
        node.allocateBuiltinData(builtinData(node.abi()));
        allocateAsTflm(node, filter.dim(3));
    }

    @Override
    public void prepare(NodeContext node) {
        node.requireArity(2, 3, 1);
        MicroTensor input = node.requiredInput(0);
        MicroTensor filter = node.requiredInput(1);
        MicroTensor bias = node.inputCount() > 2 ? node.input(2) : null;
        MicroTensor output = node.output(0);
        BuiltinOptions.DepthwiseConv2D options = node.options(BuiltinOptions.DepthwiseConv2D.class);
        if (options == null) {
            throw node.fail("builtin_options", "DEPTHWISE_CONV_2D needs DepthwiseConv2DOptions (stride_w and "
                    + "stride_h have no default)");
        }
        Activation activation = FusedActivation.parse(node, options.activation());
        if (filter.rank() != 4 || filter.dim(0) != 1) {
            throw node.fail("filter", "must have shape [1, height, width, out_channels], got "
                    + Arrays.toString(filter.shape()));
        }
        if (filter.dim(1) < 1 || filter.dim(2) < 1) {
            throw node.fail("filter", "height and width must be >= 1, got shape " + Arrays.toString(filter.shape()));
        }
        geometry = ConvolutionGeometry.prepare(node, options.padding(), options.strideW(), options.strideH(),
                options.dilationW(), options.dilationH(), input, filter.dim(1), filter.dim(2), output);
        batches = input.dim(0);
        inDepth = input.dim(3);
        outDepth = filter.dim(3);
        depthMultiplier = options.depthMultiplier();
        if (depthMultiplier < 1) {
            throw node.fail("depth_multiplier", "must be >= 1, got " + depthMultiplier);
        }
        if ((long) inDepth * depthMultiplier != outDepth) {
            throw node.fail("depth_multiplier", depthMultiplier + " x input depth " + inDepth + " != filter's "
                    + outDepth + " output channels");
        }
        if (output.dim(3) != outDepth) {
            throw node.fail("output", "has " + output.dim(3) + " channels, the filter has " + outDepth);
        }
        operands = ConvolutionOperands.prepare(node, input, filter, bias, output, outDepth, 3, activation, false);
        declareFootprint(node, filter);
        fastPath = null;
        accumulators = null;
        totals = null;
        if (operands.quantized && constantWeights(filter, bias) && (inDepth == 1
                || Int8DepthwiseChannels.ringBytes(geometry, outDepth) <= Int8DepthwiseChannels.MAX_RING_BYTES)) {
            int taps = filter.dim(1) * filter.dim(2);
            PackedFilter packed = PackedFilter.ofDepthwise(filter.data(), filter.dataOffset(), taps, outDepth);
            AccumulatorStart start = new AccumulatorStart(bias, packed, operands.inputOffset, filter.dim(2));
            ChannelRequantizer requantizer = new ChannelRequantizer(operands);
            // one input channel: every output channel reads the same input value, which is a one-group CONV_2D
            fastPath = inDepth == 1
                    ? new Int8PatchConvolution(geometry, batches, 1, packed, start, requantizer)
                    : new Int8DepthwiseChannels(geometry, batches, inDepth, depthMultiplier, packed, start,
                    requantizer);
        } else if (operands.quantized) {
            accumulators = new int[outDepth];
        } else {
            totals = new float[outDepth];
        }
    }

    /*
     * General int8 loops (a filter or bias that is not a model constant, or a lane ring above
     * Int8DepthwiseChannels.MAX_RING_BYTES; see Int8DepthwiseChannels and Int8PatchConvolution for the fast paths).
     * Every output pixel accumulates all its channels at once (filter taps outer, channels inner) so that input,
     * filter and accumulators are read contiguously; each channel still sums its taps in TFLite's order.
     */
    @Override
    public Int8Parameters int8Parameters() {
        return int8Parameters(geometry, batches, inDepth, outDepth, 1, depthMultiplier);
    }

    @Override
    void invokeInt8(final byte[] in, final int inBase, final byte[] w, final int wBase, final byte[] b,
                    final int bBase, final byte[] out, int outPos) {
        final ConvolutionGeometry g = geometry;
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int fW = g.filterWidth();
        final int dH = g.dilationHeight();
        final int dW = g.dilationWidth();
        final int inC = inDepth;
        final int outC = outDepth;
        final int mult = depthMultiplier;
        final ConvolutionOperands p = operands;
        final int inOff = p.inputOffset;
        final int outOff = p.outputOffset;
        final int lo = p.actMin;
        final int hi = p.actMax;
        final int[] m = p.multipliers;
        final int[] s = p.shifts;
        final int[] acc = accumulators;
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
                    Arrays.fill(acc, 0);
                    for (int fy = fy0; fy < fy1; fy++) {
                        final int inRow = inBatch + (iy0 + dH * fy) * inW * inC;
                        final int wRow = wBase + fy * fW * outC;
                        for (int fx = fx0; fx < fx1; fx++) {
                            final int ip = inRow + (ix0 + dW * fx) * inC;
                            final int wp = wRow + fx * outC;
                            if (mult == 1) {
                                for (int c = 0; c < inC; c++) {
                                    acc[c] += w[wp + c] * (in[ip + c] + inOff);
                                }
                            } else {
                                for (int c = 0, oc = 0; c < inC; c++) {
                                    final int x = in[ip + c] + inOff;
                                    for (int k = 0; k < mult; k++, oc++) {
                                        acc[oc] += w[wp + oc] * x;
                                    }
                                }
                            }
                        }
                    }
                    for (int oc = 0; oc < outC; oc++) {
                        int a = acc[oc];
                        if (b != null) {
                            a += (int) INT32.get(b, bBase + 4 * oc);
                        }
                        a = QuantizedMath.multiplyByQuantizedMultiplier(a, m[oc], s[oc]) + outOff;
                        out[outPos++] = (byte) (a < lo ? lo : (a > hi ? hi : a));
                    }
                }
            }
        }
    }

    /**
     * TFLite's 16x8 {@code DepthwiseConvPerChannel}: int64 accumulator, no input offset, taps in filter row and
     * column order, bias and requantization by {@link Int16Requantization}.
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
                        final int c = oc / depthMultiplier;
                        long acc = 0;
                        for (int fy = fy0; fy < fy1; fy++) {
                            final int inRow = inBatch + (iy0 + dH * fy) * inW * inDepth + c;
                            final int wRow = wBase + fy * fW * outDepth + oc;
                            for (int fx = fx0; fx < fx1; fx++) {
                                acc += w[wRow + fx * outDepth]
                                        * Int16Requantization.int16(in, inBase, inRow + (ix0 + dW * fx) * inDepth);
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
        final int fW = g.filterWidth();
        final int dH = g.dilationHeight();
        final int dW = g.dilationWidth();
        final int inC = inDepth;
        final int outC = outDepth;
        final int mult = depthMultiplier;
        final float lo = operands.floatMin;
        final float hi = operands.floatMax;
        final float[] total = totals;
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
                    Arrays.fill(total, 0f);
                    for (int fy = fy0; fy < fy1; fy++) {
                        final int inRow = inBatch + (iy0 + dH * fy) * inW * inC;
                        final int wRow = fy * fW * outC;
                        for (int fx = fx0; fx < fx1; fx++) {
                            final int ip = inBase + 4 * (inRow + (ix0 + dW * fx) * inC);
                            final int wp = wBase + 4 * (wRow + fx * outC);
                            for (int c = 0, oc = 0; c < inC; c++) {
                                final float x = (float) FLOAT32.get(in, ip + 4 * c);
                                for (int k = 0; k < mult; k++, oc++) {
                                    total[oc] += x * (float) FLOAT32.get(w, wp + 4 * oc);
                                }
                            }
                        }
                    }
                    for (int oc = 0; oc < outC; oc++) {
                        float biasValue = b == null ? 0f : (float) FLOAT32.get(b, bBase + 4 * oc);
                        FLOAT32.set(out, outPos, QuantizedMath.clamp(total[oc] + biasValue, lo, hi));
                        outPos += 4;
                    }
                }
            }
        }
    }
}
