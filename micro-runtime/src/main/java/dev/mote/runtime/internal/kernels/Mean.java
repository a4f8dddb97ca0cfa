package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.TensorType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * MEAN over the axes in a constant INT32 tensor (negative axes count from the end, duplicates count once; at most
 * two distinct axes and input rank 1 to 5, the sizes of TFLM's fixed index arrays), keeping the reduced dimensions
 * as 1 when {@code keep_dims} is set.
 *
 * <p>int8 follows TFLM's reference {@code QuantizedMeanOrSum}: the int32 sum of the raw values, minus
 * {@code input_zero_point * n}, times the multiplier of {@code input_scale / output_scale} into which {@code 1/n}
 * is folded ({@code shift = min(floor(log2 n), 32, 31 + output_shift)}, {@code multiplier = (m << shift) / n}),
 * plus the output zero point, clamped — the same arithmetic whether or not the scales differ; int16 the same with
 * 16-bit values and the int16 range (TFLM's template on {@code int16_t}). float32 sums in
 * input order and divides by {@code n}, as TFLM does. Like TFLM, it asks for TFLM's scratch buffers (see
 * {@link #prepare}) so that the arena accounting matches.
 */
public final class Mean implements Kernel {
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_RANK = 5;
    private static final int MAX_REDUCED_AXES = 2;

    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private boolean quantized;
    private boolean int16;
    private int[] inputShape;
    /** For each input dimension, the output stride it moves along (0 for reduced dimensions). */
    private int[] outputStrideOfInputDim;
    private long reducedCount;
    private int inputZeroPoint;
    private int outputZeroPoint;
    private int multiplier;
    private int shift;
    private int[] intSums;
    private float[] floatSums;

    /** TFLM's {@code TfLiteReducerParams}: keep_dims. */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).bool().build();
    }

    /**
     * TFLM's {@code OpDataReduce} ({@code micro/kernels/reduce.h}): 11 int32-sized fields (multiplier, shift, three
     * scratch indices, zero points, scales, output element and axis counts).
     */
    static CStruct opData(Abi abi) {
        return CStruct.of(abi).int32s(11).build();
    }

    /**
     * Declares what TFLM's {@code PrepareMeanOrSumHelper} allocates (reduce_common.cc), for every input type TFLM
     * takes (float32, int8, int16): temporary input, output and axis tensors; for int8 and int16 a scratch buffer
     * of one int32 per output element (the accumulator); for every type two more, one int per input dimension (the
     * iteration index) and one per element of the axis tensor (the resolved axes); then {@code PrepareSimple}'s
     * temporary input and axis tensors (and for int8 the output's). The one home of MEAN's footprint: the kernel's
     * prepare and {@link MeanFootprint} (for a MEAN node the kernel refuses) both declare it here.
     */
    static void declareFootprint(NodeContext node) {
        node.requireArity(2, 2, 1);
        node.allocateBuiltinData(builtinData(node.abi()));
        node.allocateOpData(opData(node.abi()));
        node.allocateTempInputTensor(0);
        node.allocateTempOutputTensor(0);
        node.allocateTempInputTensor(1);
        MicroTensor input = node.requiredInput(0);
        MicroTensor axisTensor = node.requiredInput(1);
        MicroTensor output = node.output(0);
        if (input.type() == TensorType.INT8 || input.type() == TensorType.INT16) {
            node.requestScratch(4 * output.elementCount()); // accumulator: int32 sums, one per output element
        }
        node.requestScratch(4 * input.rank());              // iteration index
        node.requestScratch(4 * axisTensor.elementCount()); // resolved axes
        node.allocateTempInputTensor(0);                    // PrepareSimple
        node.allocateTempInputTensor(1);
        if (input.type() == TensorType.INT8) {
            node.allocateTempOutputTensor(0);
        }
    }

    /**
     * Declares MEAN's footprint ({@link #declareFootprint}) and checks the node. (Mote's sums and indices live on
     * the heap; the scratch buffers are requested so that the arena is what TFLM needs.)
     */
    @Override
    public void prepare(NodeContext node) {
        declareFootprint(node);
        MicroTensor input = node.requiredInput(0);
        MicroTensor axisTensor = node.requiredInput(1);
        MicroTensor output = node.output(0);
        node.requireType(input, "input", TensorType.FLOAT32, TensorType.INT8, TensorType.INT16);
        TensorChecks.requireSameType(node, input, output);
        Shapes.requireRank(node, "input", input, 1, MAX_RANK);
        if (axisTensor.rank() > 1) {
            throw node.fail("axis", "must be a scalar or a vector, got shape " + Shapes.describe(axisTensor.shape()));
        }
        int rank = input.rank();
        int[] axes = Shapes.constantInts(node, "axis", axisTensor);
        boolean[] reduced = new boolean[rank];
        int distinct = 0;
        for (int i = 0; i < axes.length; i++) {
            int d = Shapes.normalizeAxis(node, "axis[" + i + "]", axes[i], rank);
            if (!reduced[d]) {
                reduced[d] = true;
                distinct++;
            }
        }
        if (distinct > MAX_REDUCED_AXES) {
            throw node.fail("axis", Shapes.describe(axes) + " names " + distinct + " distinct axes; TFLM's MEAN "
                    + "reduces over at most " + MAX_REDUCED_AXES);
        }
        BuiltinOptions.Reducer options = node.options(BuiltinOptions.Reducer.class);
        boolean keepDims = options != null && options.keepDims();
        int[] expected = new int[rank];
        int n = 0;
        reducedCount = 1;
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                reducedCount *= input.dim(d);
                if (keepDims) {
                    expected[n++] = 1;
                }
            } else {
                expected[n++] = input.dim(d);
            }
        }
        expected = Arrays.copyOf(expected, n);
        Shapes.requireShape(node, "output", output, expected);
        inputShape = input.shape();
        outputStrideOfInputDim = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            if (!reduced[d]) {
                outputStrideOfInputDim[d] = stride;
                stride *= input.dim(d);
            }
        }
        int16 = input.type() == TensorType.INT16;
        quantized = input.type() == TensorType.INT8 || int16;
        if (!quantized) {
            floatSums = new float[output.elementCount()];
            return;
        }
        TensorChecks.requirePerTensorQuantizationOrZeroScale(node, input, "input");
        TensorChecks.requirePerTensorQuantization(node, output, "output");
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier((double) input.scale() / (double) output.scale());
        multiplier = m.multiplier();
        shift = m.shift();
        if (reducedCount > 0) {
            // Fold 1/n into the multiplier as TFLM does, keeping shift within MultiplyByQuantizedMultiplier's range.
            int log2 = 63 - Long.numberOfLeadingZeros(reducedCount);
            int extra = Math.min(Math.min(log2, 32), 31 + shift);
            multiplier = (int) (((long) multiplier << extra) / reducedCount);
            shift -= extra;
        }
        inputZeroPoint = input.zeroPoint();
        outputZeroPoint = output.zeroPoint();
        intSums = new int[output.elementCount()];
    }

    @Override
    public void invoke(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        if (quantized) {
            invokeInt8(input, output);
        } else {
            invokeFloat(input, output);
        }
    }

    /**
     * What prepare derived for an int8 node (the C code generator emits these constants), or null for float32 and
     * int16:
     * the input shape, for each input dimension its stride in the output (0 where reduced), the reduced count and
     * the requantization with {@code 1/n} folded in.
     */
    public Int8Parameters int8Parameters() {
        return quantized && !int16 ? new Int8Parameters(inputShape.clone(), outputStrideOfInputDim.clone(),
                intSums.length, reducedCount, inputZeroPoint, outputZeroPoint, multiplier, shift) : null;
    }

    /** The int8 arithmetic of one prepared MEAN, as {@link #invoke} runs it. */
    public record Int8Parameters(int[] inputShape, int[] outputStrideOfInputDim, int outputCount, long reducedCount,
                                 int inputZeroPoint, int outputZeroPoint, int multiplier, int shift) {
    }

    private void invokeInt8(MicroTensor input, MicroTensor output) {
        byte[] out = output.data();
        int outBase = output.dataOffset();
        int outCount = intSums.length;
        int elementSize = int16 ? 2 : 1;
        if (input.elementCount() == 0 || reducedCount == 0) {
            Arrays.fill(out, outBase, outBase + elementSize * outCount, (byte) 0);
            return;
        }
        Arrays.fill(intSums, 0);
        byte[] in = input.data();
        int inBase = input.dataOffset();
        int[] index = new int[inputShape.length];
        int i = 0;
        int last = inputShape.length - 1;
        int rowStride = outputStrideOfInputDim[last];
        do {
            int o = outputOffset(index);
            for (int k = 0; k < inputShape[last]; k++) {
                intSums[o + k * rowStride] += int16 ? (short) INT16.get(in, inBase + 2 * i++) : in[inBase + i++];
            }
        } while (nextOuterIndex(index));
        long zeroPointTotal = (long) inputZeroPoint * reducedCount;
        for (int j = 0; j < outCount; j++) {
            int shifted = (int) (intSums[j] - zeroPointTotal);
            int q = QuantizedMath.multiplyByQuantizedMultiplier(shifted, multiplier, shift) + outputZeroPoint;
            if (int16) {
                INT16.set(out, outBase + 2 * j, (short) QuantizedMath.clamp(q, Short.MIN_VALUE, Short.MAX_VALUE));
            } else {
                out[outBase + j] = (byte) QuantizedMath.clamp(q, Byte.MIN_VALUE, Byte.MAX_VALUE);
            }
        }
    }

    private void invokeFloat(MicroTensor input, MicroTensor output) {
        Arrays.fill(floatSums, 0f);
        if (input.elementCount() > 0) {
            byte[] in = input.data();
            int inBase = input.dataOffset();
            int[] index = new int[inputShape.length];
            int i = 0;
            int last = inputShape.length - 1;
            int rowStride = outputStrideOfInputDim[last];
            do {
                int o = outputOffset(index);
                for (int k = 0; k < inputShape[last]; k++) {
                    floatSums[o + k * rowStride] += (float) FLOAT32.get(in, inBase + 4 * i++);
                }
            } while (nextOuterIndex(index));
        }
        byte[] out = output.data();
        int outBase = output.dataOffset();
        float count = (float) reducedCount;
        for (int j = 0; j < floatSums.length; j++) {
            FLOAT32.set(out, outBase + 4 * j, reducedCount > 0 ? floatSums[j] / count : 0f);
        }
    }

    /** Advances the index over all input dimensions but the last; false after the last row. */
    private boolean nextOuterIndex(int[] index) {
        for (int d = inputShape.length - 2; d >= 0; d--) {
            if (++index[d] < inputShape[d]) {
                return true;
            }
            index[d] = 0;
        }
        return false;
    }

    private int outputOffset(int[] index) {
        int o = 0;
        for (int d = 0; d < index.length; d++) {
            o += index[d] * outputStrideOfInputDim[d];
        }
        return o;
    }
}
