package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.Padding;
import dev.mote.vocabulary.TensorType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * TRANSPOSE_CONV as TFLM's reference kernel computes it ({@code micro/kernels/transpose_conv.cc},
 * {@code reference_ops::TransposeConv}, {@code reference_integer_ops::TransposeConv}): inputs 0 output_shape (an
 * int32 tensor TFLM never reads: the output tensor's own shape is used; Mote warns when a constant output_shape
 * differs from it), 1 filter {@code [outC, fh, fw, inC]}, 2 input {@code [batch, inH, inW, inC]}, 3 optional bias
 * {@code [outC]}; output {@code [batch, outH, outW, outC]}. The padding is TFLM's {@code ComputePaddingHeightWidth}
 * with the output's height and width as the image size. Every input element is scattered onto the outputs it
 * touches in TFLM's loop order (input row, column, channel, filter row, column, output channel), then the bias is
 * added.
 *
 * <p>Types as TFLM accepts them: float32 (optional float32 bias; the fused activation is applied), int8 (int8
 * filter per-channel or per-tensor, optional int32 bias, int32 accumulator), 16x8 (int16 input and output, int8
 * filter, optional int64 bias or int16 bias, which TFLM widens to int64 in a scratch buffer; int64 accumulator).
 * The fused activation is honoured by every type, as measured against the oracle build (the integer kernels clamp
 * with {@code CalculateActivationRangeQuantized}, which refuses TANH and SIGN_BIT; float32 clamps with
 * {@code CalculateActivationRange}, for which they are no clamp); an int32 bias on a 16x8 node is refused (TFLM
 * reads any non-int16 bias as int64).
 */
public final class TransposeConv implements Kernel {
    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class,
            ByteOrder.LITTLE_ENDIAN);

    private TensorType type;
    private boolean hasBias;
    private boolean int16Bias;
    private int batches;
    private int inH;
    private int inW;
    private int inC;
    private int fH;
    private int fW;
    private int outH;
    private int outW;
    private int outC;
    private int strideH;
    private int strideW;
    private int padH;
    private int padW;
    private PerChannelQuantization q;
    private Int16Requantization int16;
    private float floatMin;
    private float floatMax;
    private int[] acc32;
    private long[] acc64;
    private float[] accF;
    private byte[] widenedBias;

    /** TFLM's {@code TfLiteTransposeConvParams}: padding, stride_width, stride_height, activation, quantized_bias_type. */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).cEnum().int32s(2).cEnum().cEnum().build();
    }

    /**
     * TFLM's {@code OpData} of transpose_conv.cc: {@code ConvParams} (uint8 padding type, int16 padding values,
     * strides and dilations, seven int32, two floats), scratch_buffer_index, bias_converted_buffer_index, the
     * per-channel multiplier and shift pointers.
     */
    static CStruct opData(Abi abi) {
        CStruct paddingValues = CStruct.of(abi).int16s(4).build();
        CStruct convParams = CStruct.of(abi).int8().struct(paddingValues).int16s(4).int32s(7).float32().float32()
                .build();
        return CStruct.of(abi).struct(convParams).int32s(2).pointers(2).build();
    }

    @Override
    public void prepare(NodeContext node) {
        node.requireArity(3, 4, 1);
        MicroTensor filter = node.requiredInput(1);
        MicroTensor input = node.requiredInput(2);
        MicroTensor bias = node.inputCount() > 3 ? node.input(3) : null;
        MicroTensor output = node.output(0);
        BuiltinOptions.TransposeConv options = node.options(BuiltinOptions.TransposeConv.class);
        if (options == null) {
            throw node.fail("builtin_options", "TRANSPOSE_CONV needs TransposeConvOptions (stride_w and stride_h have "
                    + "no default)");
        }
        Padding padding = Padding.fromCode(options.padding());
        if (padding == null) {
            throw node.fail("padding", "unknown value " + options.padding() + " (expected 0 = SAME or 1 = VALID)");
        }
        if (options.strideW() < 1 || options.strideH() < 1) {
            throw node.fail("stride_w", "strides must be >= 1, got " + options.strideW() + "x" + options.strideH());
        }
        Activation activation = Activation.fromCode(options.activation());
        if (activation == null) {
            throw node.fail("fused_activation_function", "unknown value " + options.activation());
        }
        if (filter.rank() != 4 || input.rank() != 4 || output.rank() != 4) {
            throw node.fail("TRANSPOSE_CONV", "filter, input and output must have rank 4");
        }
        type = input.type();
        node.requireType(input, "input", TensorType.FLOAT32, TensorType.INT8, TensorType.INT16);
        node.requireType(output, "output", type);
        if (type == TensorType.INT16) {
            node.requireType(filter, "filter", TensorType.INT8);
        } else {
            node.requireType(filter, "filter", type);
        }
        batches = input.dim(0);
        inH = input.dim(1);
        inW = input.dim(2);
        inC = input.dim(3);
        outC = filter.dim(0);
        fH = filter.dim(1);
        fW = filter.dim(2);
        outH = output.dim(1);
        outW = output.dim(2);
        if (output.dim(0) != batches) {
            throw node.fail("output", "batch " + output.dim(0) + " differs from the input's batch " + batches);
        }
        if (filter.dim(3) != inC) {
            throw node.fail("filter", "depth " + filter.dim(3) + " differs from the input depth " + inC);
        }
        if (output.dim(3) != outC) {
            throw node.fail("output", "has " + output.dim(3) + " channels, the filter has " + outC);
        }
        if (fH < 1 || fW < 1) {
            throw node.fail("filter", "height and width must be >= 1");
        }
        strideH = options.strideH();
        strideW = options.strideW();
        padH = pad(padding, strideH, outH, fH);
        padW = pad(padding, strideW, outW, fW);
        hasBias = bias != null;
        if (hasBias && bias.elementCount() != outC) {
            throw node.fail("bias", "has " + bias.elementCount() + " elements, expected " + outC);
        }
        checkOutputShape(node, output);
        declareFootprint(node, output, filter, bias);
        int n = output.elementCount();
        if (type == TensorType.FLOAT32) {
            if (hasBias) {
                node.requireType(bias, "bias", TensorType.FLOAT32);
            }
            QuantizedMath.FloatRange range = QuantizedMath.activationRange(activation);
            floatMin = range.min();
            floatMax = range.max();
            accF = new float[n];
        } else if (type == TensorType.INT8) {
            if (hasBias) {
                node.requireType(bias, "bias", TensorType.INT32);
            }
            q = PerChannelQuantization.prepare(node, input, filter, output, 0, outC,
                    FusedActivation.parse(node, options.activation()));
            acc32 = new int[n];
        } else {
            if (hasBias) {
                node.requireType(bias, "bias", TensorType.INT64, TensorType.INT16);
                int16Bias = bias.type() == TensorType.INT16;
            }
            PerChannelQuantization p = PerChannelQuantization.prepare(node, input, filter, output, 0, outC,
                    FusedActivation.parse(node, options.activation()), Short.MIN_VALUE, Short.MAX_VALUE);
            int[] shifts = p.shifts();
            Int16Requantization.wideAccumulator(node, null, shifts); // the int64 requantization's shift limit
            int16 = new Int16Requantization(true, p.multipliers(), shifts, 0, p.activationMin(), p.activationMax());
            acc64 = new long[n];
            widenedBias = int16Bias ? new byte[8 * outC] : null;
        }
    }

    /** TFLM's {@code ComputePaddingHeightWidth} with the output size as the image size (C integer arithmetic). */
    private static int pad(Padding padding, int stride, int size, int filter) {
        int windowed = padding == Padding.SAME ? (size + stride - 1) / stride : (size + stride - filter) / stride;
        return ConvolutionGeometry.padding(stride, 1, size, filter, windowed);
    }

    private void checkOutputShape(NodeContext node, MicroTensor output) {
        MicroTensor shape = node.input(0);
        if (shape == null || !shape.isConstant() || !shape.hasData() || shape.type() != TensorType.INT32) {
            return;
        }
        int[] dims = output.shape();
        boolean same = shape.elementCount() == dims.length;
        for (int i = 0; same && i < dims.length; i++) {
            same = (int) INT32.get(shape.data(), shape.dataOffset() + 4 * i) == dims[i];
        }
        if (!same) {
            node.warn(ModelWarning.Kind.SHAPE, "output_shape (input 0)", "differs from the output tensor's shape "
                    + java.util.Arrays.toString(dims) + "; TFLM ignores output_shape and uses the output tensor's "
                    + "shape, and so does Mote");
        }
    }

    /**
     * What TFLM allocates: the options struct, Init's OpData; Prepare's temporary output, input and filter, the
     * per-channel multipliers and shifts (one int32 each per filter output channel, float32 too), the accumulator
     * scratch (int8: output elements x 4 bytes, 16x8: x 8 bytes); for integer types CalculateOpData's temporary
     * input, filter, bias and output, and for a 16x8 node with an int16 bias the widened-bias scratch (bias elements
     * x 8 bytes).
     */
    private void declareFootprint(NodeContext node, MicroTensor output, MicroTensor filter, MicroTensor bias) {
        node.allocateBuiltinData(builtinData(node.abi()));
        node.allocateOpData(opData(node.abi()));
        node.allocateTempOutputTensor(0);
        node.allocateTempInputTensor(2);
        node.allocateTempInputTensor(1);
        node.allocatePersistentBuffer("per-channel output multipliers", 4L * filter.dim(0));
        node.allocatePersistentBuffer("per-channel output shifts", 4L * filter.dim(0));
        if (type == TensorType.INT8) {
            node.requestScratch(4 * output.elementCount());
        } else if (type == TensorType.INT16) {
            node.requestScratch(8 * output.elementCount());
        }
        if (type != TensorType.FLOAT32) {
            node.allocateTempInputTensor(2);
            node.allocateTempInputTensor(1);
            node.allocateTempInputTensor(3);
            node.allocateTempOutputTensor(0);
            if (type == TensorType.INT16 && bias != null && bias.type() == TensorType.INT16) {
                node.requestScratch(8 * bias.elementCount());
            }
        }
    }

    @Override
    public void invoke(NodeContext node) {
        MicroTensor filter = node.input(1);
        MicroTensor input = node.input(2);
        MicroTensor bias = hasBias ? node.input(3) : null;
        MicroTensor output = node.output(0);
        byte[] in = input.data();
        int inBase = input.dataOffset();
        byte[] w = filter.data();
        int wBase = filter.dataOffset();
        byte[] out = output.data();
        int outBase = output.dataOffset();
        byte[] b = bias == null ? null : bias.data();
        int bBase = bias == null ? 0 : bias.dataOffset();
        switch (type) {
            case FLOAT32 -> invokeFloat(in, inBase, w, wBase, b, bBase, out, outBase);
            case INT8 -> invokeInt8(in, inBase, w, wBase, b, bBase, out, outBase);
            default -> {
                if (int16Bias) {
                    for (int c = 0; c < outC; c++) {
                        INT64.set(widenedBias, 8 * c, (long) (short) INT16.get(b, bBase + 2 * c));
                    }
                    b = widenedBias;
                    bBase = 0;
                }
                invokeInt16(in, inBase, w, wBase, b, bBase, out, outBase);
            }
        }
    }

    private void invokeFloat(byte[] in, int inBase, byte[] w, int wBase, byte[] b, int bBase, byte[] out,
                             int outBase) {
        final float[] acc = accF;
        java.util.Arrays.fill(acc, 0f);
        int ip = inBase;
        for (int batch = 0; batch < batches; batch++) {
            for (int iy = 0; iy < inH; iy++) {
                for (int ix = 0; ix < inW; ix++) {
                    for (int ic = 0; ic < inC; ic++, ip += 4) {
                        final float x = (float) FLOAT32.get(in, ip);
                        final int oy0 = iy * strideH - padH;
                        final int ox0 = ix * strideW - padW;
                        for (int fy = 0; fy < fH; fy++) {
                            final int oy = oy0 + fy;
                            if (oy < 0 || oy >= outH) {
                                continue;
                            }
                            for (int fx = 0; fx < fW; fx++) {
                                final int ox = ox0 + fx;
                                if (ox < 0 || ox >= outW) {
                                    continue;
                                }
                                final int o = ((batch * outH + oy) * outW + ox) * outC;
                                for (int oc = 0; oc < outC; oc++) {
                                    final float f = (float) FLOAT32.get(w,
                                            wBase + 4 * (((oc * fH + fy) * fW + fx) * inC + ic));
                                    acc[o + oc] += x * f;
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < acc.length; i++) {
            float v = acc[i];
            if (b != null) {
                v += (float) FLOAT32.get(b, bBase + 4 * (i % outC));
            }
            FLOAT32.set(out, outBase + 4 * i, QuantizedMath.clamp(v, floatMin, floatMax));
        }
    }

    private void invokeInt8(byte[] in, int inBase, byte[] w, int wBase, byte[] b, int bBase, byte[] out,
                            int outBase) {
        final int[] acc = acc32;
        java.util.Arrays.fill(acc, 0);
        final int inOff = q.inputOffset();
        int ip = inBase;
        for (int batch = 0; batch < batches; batch++) {
            for (int iy = 0; iy < inH; iy++) {
                for (int ix = 0; ix < inW; ix++) {
                    for (int ic = 0; ic < inC; ic++, ip++) {
                        final int x = in[ip] + inOff;
                        final int oy0 = iy * strideH - padH;
                        final int ox0 = ix * strideW - padW;
                        for (int fy = 0; fy < fH; fy++) {
                            final int oy = oy0 + fy;
                            if (oy < 0 || oy >= outH) {
                                continue;
                            }
                            for (int fx = 0; fx < fW; fx++) {
                                final int ox = ox0 + fx;
                                if (ox < 0 || ox >= outW) {
                                    continue;
                                }
                                final int o = ((batch * outH + oy) * outW + ox) * outC;
                                for (int oc = 0; oc < outC; oc++) {
                                    acc[o + oc] += x * w[wBase + ((oc * fH + fy) * fW + fx) * inC + ic];
                                }
                            }
                        }
                    }
                }
            }
        }
        final int outOff = q.outputOffset();
        final int lo = q.activationMin();
        final int hi = q.activationMax();
        for (int i = 0; i < acc.length; i++) {
            final int oc = i % outC;
            int a = acc[i];
            if (b != null) {
                a += (int) INT32.get(b, bBase + 4 * oc);
            }
            a = QuantizedMath.multiplyByQuantizedMultiplier(a, q.multiplier(oc), q.shift(oc)) + outOff;
            out[outBase + i] = (byte) QuantizedMath.clamp(a, lo, hi);
        }
    }

    private void invokeInt16(byte[] in, int inBase, byte[] w, int wBase, byte[] b, int bBase, byte[] out,
                             int outBase) {
        final long[] acc = acc64;
        java.util.Arrays.fill(acc, 0L);
        int i2 = 0;
        for (int batch = 0; batch < batches; batch++) {
            for (int iy = 0; iy < inH; iy++) {
                for (int ix = 0; ix < inW; ix++) {
                    for (int ic = 0; ic < inC; ic++, i2++) {
                        final int x = Int16Requantization.int16(in, inBase, i2);
                        final int oy0 = iy * strideH - padH;
                        final int ox0 = ix * strideW - padW;
                        for (int fy = 0; fy < fH; fy++) {
                            final int oy = oy0 + fy;
                            if (oy < 0 || oy >= outH) {
                                continue;
                            }
                            for (int fx = 0; fx < fW; fx++) {
                                final int ox = ox0 + fx;
                                if (ox < 0 || ox >= outW) {
                                    continue;
                                }
                                final int o = ((batch * outH + oy) * outW + ox) * outC;
                                for (int oc = 0; oc < outC; oc++) {
                                    acc[o + oc] += (long) (x * w[wBase + ((oc * fH + fy) * fW + fx) * inC + ic]);
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < acc.length; i++) {
            int16.write(acc[i], b, bBase, i % outC, out, outBase, i);
        }
    }

    @Override
    public long heapBytes() {
        return (acc32 == null ? 0 : 4L * acc32.length) + (acc64 == null ? 0 : 8L * acc64.length)
                + (accF == null ? 0 : 4L * accF.length);
    }
}
