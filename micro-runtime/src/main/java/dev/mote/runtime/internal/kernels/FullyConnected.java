package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.ModelWarning;
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
import java.util.Arrays;

/**
 * FULLY_CONNECTED: {@code output[b, o] = act(sum_d input[b, d] * filter[o, d] + bias[o])}, int8 (per-tensor
 * weights, int32 bias) with TFLite's reference integer arithmetic, 16x8 (int16 activations, int8 weights per
 * tensor or per row, int32 / int64 / no bias: {@link #prepareInt16}), and float32. A constant int8 filter runs on
 * the convolutions' fast path ({@link #prepareFastPath}).
 */
public final class FullyConnected implements Kernel {
    private static final VarHandle INT32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    /**
     * Largest Java heap the fast path's packed filter may take (one {@code int[outputs]} row per input element);
     * larger layers keep the plain loop.
     */
    static final long MAX_PACKED_BYTES = 16L << 20;

    private int batches;
    private int outputDepth;
    private int accumDepth;
    private boolean quantized;
    private int inputOffset;
    private int filterOffset;
    private int outputOffset;
    private int multiplier;
    private int shift;
    private int actMin;
    private int actMax;
    private boolean perChannel16;
    private float floatMin;
    private float floatMax;
    /** The constant-filter fast path (see {@link #prepareFastPath}), or null for the plain loop. */
    private Int8ConvolutionPath fastPath;
    /** The 16x8 requantization (int16 input and output, int8 filter), or null for int8 and float32. */
    private Int16Requantization int16;

    /**
     * TFLM's {@code TfLiteFullyConnectedParams}: activation, weights_format, keep_num_dims,
     * asymmetric_quantize_inputs, quantized_bias_type.
     */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).cEnum().cEnum().bool().bool().cEnum().build();
    }

    /**
     * TFLM's {@code OpDataFullyConnected}: 8 int32 fields, filter_buffer_index, per-channel multiplier and shift
     * pointers, is_per_channel.
     */
    static CStruct opData(Abi abi) {
        return CStruct.of(abi).int32s(8).int32().pointers(2).bool().build();
    }

    /**
     * Declares what TFLM's {@code FullyConnectedPrepare} (fully_connected.cc) allocates: temporary input, filter,
     * bias and output tensors; then, in {@code CalculateOpDataFullyConnected} (fully_connected_common.cc), for a
     * quantized node whose filter has more than one scale ({@code is_per_channel}), the per-channel output
     * multipliers and shifts ({@code AllocatePersistentBuffer(scale->size * sizeof(int32_t))} each). (The scratch
     * buffer TFLM requests to unpack an int4 filter is not declared: neither this kernel nor
     * {@link FullyConnectedFootprint} takes int4 filters.) The one home of FULLY_CONNECTED's footprint: the kernel's
     * prepare and {@link FullyConnectedFootprint} (the per-channel nodes Mote's kernel refuses) both declare it here.
     */
    static void declareFootprint(NodeContext node) {
        node.requireArity(2, 3, 1);
        node.allocateBuiltinData(builtinData(node.abi()));
        node.allocateOpData(opData(node.abi()));
        node.allocateTempInputTensor(0);
        node.allocateTempInputTensor(1);
        node.allocateTempInputTensor(2);
        node.allocateTempOutputTensor(0);
        MicroTensor input = node.requiredInput(0);
        MicroTensor filter = node.requiredInput(1);
        int scales = filter.quantization().channelCount();
        if (input.type() != TensorType.FLOAT32 && scales > 1) {
            node.allocatePersistentBuffer("per-channel output multipliers", 4L * scales);
            node.allocatePersistentBuffer("per-channel output shifts", 4L * scales);
        }
    }

    /** Declares FULLY_CONNECTED's footprint ({@link #declareFootprint}) and checks the node. */
    @Override
    public void prepare(NodeContext node) {
        declareFootprint(node);
        MicroTensor input = node.requiredInput(0);
        MicroTensor filter = node.requiredInput(1);
        MicroTensor bias = node.inputCount() > 2 ? node.input(2) : null;
        MicroTensor output = node.output(0);
        BuiltinOptions.FullyConnected options = node.options(BuiltinOptions.FullyConnected.class);
        int activationCode = options == null ? 0 : options.activation();
        Activation activation = Activation.fromCode(activationCode);
        if (activation == null || activation == Activation.TANH || activation == Activation.SIGN_BIT) {
            throw node.fail("fused_activation_function", "unsupported value " + activationCode);
        }
        if (options != null && options.weightsFormat() != 0) {
            // TFLM's FULLY_CONNECTED does not read weights_format: it runs the filter as DEFAULT.
            node.warn(ModelWarning.Kind.QUANTIZATION, "weights_format", "is " + options.weightsFormat()
                    + "; TFLM ignores it and reads the filter as DEFAULT (0), and so does Mote");
        }
        if (filter.rank() != 2) {
            throw node.fail("filter", "must have rank 2 [output_depth, accum_depth], got rank " + filter.rank());
        }
        if (output.rank() < 1) {
            throw node.fail("output", "must have rank >= 1");
        }
        outputDepth = filter.dim(0);
        accumDepth = filter.dim(1);
        if (output.dim(output.rank() - 1) != outputDepth) {
            throw node.fail("output", "last dimension " + output.dim(output.rank() - 1) + " differs from the filter's "
                    + "output depth " + outputDepth);
        }
        batches = outputDepth == 0 ? 0 : output.elementCount() / outputDepth;
        if ((long) batches * accumDepth != input.elementCount()) {
            throw node.fail("input", "has " + input.elementCount() + " elements, expected batches (" + batches
                    + ") x accum_depth (" + accumDepth + ")");
        }
        if (bias != null && bias.elementCount() != outputDepth) {
            throw node.fail("bias", "has " + bias.elementCount() + " elements, expected " + outputDepth);
        }
        if (input.type() == TensorType.FLOAT32) {
            quantized = false;
            fastPath = null;
            int16 = null;
            TensorChecks.requireWeightedOperandTypes(node, filter, bias, output, TensorType.FLOAT32,
                    TensorType.FLOAT32);
            QuantizedMath.FloatRange range = QuantizedMath.activationRange(activation);
            floatMin = range.min();
            floatMax = range.max();
            return;
        }
        if (input.type() == TensorType.INT16) {
            prepareInt16(node, input, filter, bias, output, activation);
            return;
        }
        int16 = null;
        quantized = true;
        node.requireType(input, "input", TensorType.INT8, TensorType.INT16, TensorType.FLOAT32);
        TensorChecks.requireWeightedOperandTypes(node, filter, bias, output, TensorType.INT8, TensorType.INT32);
        if (!input.quantization().isQuantized() || !filter.quantization().isQuantized()
                || !output.quantization().isQuantized()) {
            throw node.fail("quantization", "int8 input, filter and output need scale and zero point");
        }
        if (filter.quantization().channelCount() != 1) {
            throw node.fail("filter.quantization", "per-channel weights are not supported by FULLY_CONNECTED ("
                    + filter.quantization().channelCount() + " scales)");
        }
        double real = (double) input.scale() * (double) filter.scale() / (double) output.scale();
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(real);
        multiplier = m.multiplier();
        shift = m.shift();
        inputOffset = -input.zeroPoint();
        filterOffset = -filter.zeroPoint();
        outputOffset = output.zeroPoint();
        QuantizedMath.IntRange range = QuantizedMath.activationRange(activation, output.scale(), output.zeroPoint(),
                Byte.MIN_VALUE, Byte.MAX_VALUE);
        actMin = range.min();
        actMax = range.max();
        // a packed row: 16-byte array header, 4-byte reference, 4 bytes per output
        boolean packable = (long) accumDepth * (20 + 4L * outputDepth) <= MAX_PACKED_BYTES;
        fastPath = filterOffset == 0 && packable && ConvolutionKernel.constantWeights(filter, bias)
                ? prepareFastPath(filter, bias) : null;
    }

    /**
     * The 16x8 node (TFLM's {@code kTfLiteInt16} case): int16 input and output, int8 weights per tensor (or per
     * output row, as TFLM's {@code FullyConnectedPerChannel} takes them), and an int32 or int64 bias, or none. The
     * reference kernel adds the input offset, the filter offset (per-tensor weights only) and the output offset as
     * in int8, so non-zero zero points count; the accumulator is int32 with an int32 bias and int64 with an int64
     * bias or none ({@link Int16Requantization}).
     */
    private void prepareInt16(NodeContext node, MicroTensor input, MicroTensor filter, MicroTensor bias,
                              MicroTensor output, Activation activation) {
        quantized = false;
        fastPath = null;
        node.requireType(filter, "filter", TensorType.INT8);
        node.requireType(output, "output", TensorType.INT16);
        TensorChecks.requirePerTensorQuantization(node, input, "input");
        TensorChecks.requirePerTensorQuantization(node, output, "output");
        if (!filter.quantization().isQuantized()) {
            throw node.fail("filter.quantization", "an int8 filter needs scales and zero points");
        }
        int scales = filter.quantization().channelCount();
        perChannel16 = scales > 1;
        if (perChannel16 && (scales != outputDepth || filter.quantization().quantizedDimension() != 0)) {
            throw node.fail("filter.quantization", scales + " scales along dimension "
                    + filter.quantization().quantizedDimension() + "; per-channel weights have one scale per "
                    + "output row (" + outputDepth + ", dimension 0)");
        }
        int[] multipliers = new int[outputDepth];
        int[] shifts = new int[outputDepth];
        for (int o = 0; o < outputDepth; o++) {
            double real = (double) input.scale() * (double) filter.quantization().scale(perChannel16 ? o : 0)
                    / (double) output.scale();
            QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(real);
            multipliers[o] = m.multiplier();
            shifts[o] = m.shift();
        }
        multiplier = multipliers[0];
        shift = shifts[0];
        inputOffset = -input.zeroPoint();
        filterOffset = perChannel16 ? 0 : -filter.zeroPoint();
        outputOffset = output.zeroPoint();
        QuantizedMath.IntRange range = QuantizedMath.activationRange(activation, output.scale(), output.zeroPoint(),
                Short.MIN_VALUE, Short.MAX_VALUE);
        actMin = range.min();
        actMax = range.max();
        boolean wide = Int16Requantization.wideAccumulator(node, bias, shifts, TensorType.INT32,
                TensorType.INT64);
        int16 = new Int16Requantization(wide, multipliers, shifts, outputOffset, actMin, actMax);
    }

    /**
     * The int8 fast path for a constant filter with zero point 0 (the converter's layout) and a constant or absent
     * bias: a FULLY_CONNECTED layer is a 1x1 convolution of a 1x1 image with {@code accum_depth} channels per batch
     * row, so it runs on {@link Int8PatchConvolution} (bias and input-offset term precomputed, pair-packed or lane
     * loops, branch-free requantization) with the layer's one multiplier for every output channel.
     */
    private Int8ConvolutionPath prepareFastPath(MicroTensor filter, MicroTensor bias) {
        PackedFilter packed = PackedFilter.ofConv(filter.data(), filter.dataOffset(), outputDepth, 1, accumDepth);
        int[] multipliers = new int[outputDepth];
        int[] shifts = new int[outputDepth];
        Arrays.fill(multipliers, multiplier);
        Arrays.fill(shifts, shift);
        return new Int8FullyConnectedPath(batches, packed, new AccumulatorStart(bias, packed, inputOffset, 1),
                new ChannelRequantizer(multipliers, shifts, outputOffset, actMin, actMax));
    }

    @Override
    public void invoke(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        if (fastPath != null) {
            fastPath.run(input.data(), input.dataOffset(), output.data(), output.dataOffset());
            return;
        }
        MicroTensor filter = node.input(1);
        MicroTensor bias = node.inputCount() > 2 ? node.input(2) : null;
        byte[] b = bias == null ? null : bias.data();
        int bBase = bias == null ? 0 : bias.dataOffset();
        if (int16 != null) {
            invokeInt16(input.data(), input.dataOffset(), filter.data(), filter.dataOffset(), b, bBase,
                    output.data(), output.dataOffset());
        } else if (quantized) {
            invokeInt8(input.data(), input.dataOffset(), filter.data(), filter.dataOffset(), b, bBase, output.data(),
                    output.dataOffset());
        } else {
            invokeFloat(input.data(), input.dataOffset(), filter.data(), filter.dataOffset(), b, bBase,
                    output.data(), output.dataOffset());
        }
    }

    /**
     * What {@link #prepare} derived for an int8 node (the C code generator emits these constants), or null for a
     * float32 node.
     */
    public Int8Parameters int8Parameters() {
        return quantized ? new Int8Parameters(batches, outputDepth, accumDepth, inputOffset, filterOffset,
                outputOffset, multiplier, shift, actMin, actMax) : null;
    }

    /** The int8 arithmetic of one prepared FULLY_CONNECTED node, as {@link #invoke} runs it. */
    public record Int8Parameters(int batches, int outputDepth, int accumDepth, int inputOffset, int filterOffset,
                                 int outputOffset, int multiplier, int shift, int actMin, int actMax) {
    }

    /** Java heap bytes the int8 fast path of this node holds (0 without one). */
    @Override
    public long heapBytes() {
        return fastPath == null ? 0 : fastPath.heapBytes();
    }

    private void invokeInt8(byte[] in, int inBase, byte[] w, int wBase, byte[] b, int bBase, byte[] out,
                            int outBase) {
        for (int batch = 0; batch < batches; batch++) {
            int inRow = inBase + batch * accumDepth;
            for (int o = 0; o < outputDepth; o++) {
                int wRow = wBase + o * accumDepth;
                int acc = 0;
                for (int d = 0; d < accumDepth; d++) {
                    acc += (w[wRow + d] + filterOffset) * (in[inRow + d] + inputOffset);
                }
                if (b != null) {
                    acc += (int) INT32.get(b, bBase + 4 * o);
                }
                acc = QuantizedMath.multiplyByQuantizedMultiplier(acc, multiplier, shift) + outputOffset;
                out[outBase + batch * outputDepth + o] = (byte) QuantizedMath.clamp(acc, actMin, actMax);
            }
        }
    }

    private void invokeInt16(byte[] in, int inBase, byte[] w, int wBase, byte[] b, int bBase, byte[] out,
                             int outBase) {
        for (int batch = 0; batch < batches; batch++) {
            int inRow = batch * accumDepth;
            for (int o = 0; o < outputDepth; o++) {
                int wRow = wBase + o * accumDepth;
                long acc = 0;
                for (int d = 0; d < accumDepth; d++) {
                    acc += (w[wRow + d] + filterOffset) * (Int16Requantization.int16(in, inBase, inRow + d)
                            + inputOffset);
                }
                int16.write(acc, b, bBase, o, out, outBase, batch * outputDepth + o);
            }
        }
    }

    private void invokeFloat(byte[] in, int inBase, byte[] w, int wBase, byte[] b, int bBase, byte[] out,
                             int outBase) {
        for (int batch = 0; batch < batches; batch++) {
            for (int o = 0; o < outputDepth; o++) {
                float total = 0f;
                for (int d = 0; d < accumDepth; d++) {
                    total += (float) FLOAT32.get(in, inBase + 4 * (batch * accumDepth + d))
                            * (float) FLOAT32.get(w, wBase + 4 * (o * accumDepth + d));
                }
                float biasValue = b == null ? 0f : (float) FLOAT32.get(b, bBase + 4 * o);
                FLOAT32.set(out, outBase + 4 * (batch * outputDepth + o),
                        QuantizedMath.clamp(total + biasValue, floatMin, floatMax));
            }
        }
    }
}
