package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.internal.FixedPointMath;
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

/**
 * SOFTMAX over the last dimension, {@code exp(beta * (x - max)) / sum}. int8 input follows TFLite's reference
 * fixed-point arithmetic (no lookup table, as in TFLM): differences to the row maximum below {@code diff_min} are
 * dropped, the rest are scaled by beta into Q5.26, exponentiated with gemmlowp's {@code exp_on_negative_values},
 * summed in Q12.19, inverted with {@code one_over_one_plus_x_for_x_in_0_1} and rounded to the output. Output is int8
 * (scale 1/256, zero point -128) or int16 (scale 1/65536, zero point -32768), as TFLM requires. float32 follows the
 * reference float kernel.
 */
public final class Softmax implements Kernel {
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int SCALED_DIFF_INTEGER_BITS = 5;
    private static final int ACCUMULATION_INTEGER_BITS = 12;

    private int rows;
    private int depth;
    private TensorType outputType;
    private float beta;
    private int inputMultiplier;
    private int inputLeftShift;
    private int diffMin;
    /** exp of each element of the current row (Q0), so each is computed once; -1 marks dropped elements. */
    private int[] rowExp;

    /** TFLM's {@code TfLiteSoftmaxParams}: beta. */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).float32().build();
    }

    /** TFLM's {@code SoftmaxParams} (its OpData): double beta, 7 int32/float fields, 5 lookup-table pointers. */
    static CStruct opData(Abi abi) {
        return CStruct.of(abi).float64().int32s(7).pointers(5).build();
    }

    /** Entries in each of TFLM's int16 lookup tables ({@code kInt16LUTArraySize}, softmax_common.cc). */
    static final int INT16_LUT_ENTRIES = 513;

    /**
     * Declares what TFLM's {@code SoftmaxPrepare} allocates (softmax_common.cc), for every input type TFLM takes:
     * temporary input and output tensors, and for int16 input its two lookup tables ({@code exp_lut} and
     * {@code one_over_one_plus_x_lut}, {@code AllocatePersistentBuffer(sizeof(int16_t) * kInt16LUTArraySize)}
     * each). The one home of SOFTMAX's footprint: the kernel's prepare and {@link SoftmaxFootprint} (the int16
     * SOFTMAX Mote's kernel refuses) both declare it here.
     */
    static void declareFootprint(NodeContext node) {
        node.requireArity(1, 1, 1);
        node.allocateBuiltinData(builtinData(node.abi()));
        node.allocateOpData(opData(node.abi()));
        node.allocateTempInputTensor(0);
        node.allocateTempOutputTensor(0);
        if (node.requiredInput(0).type() == TensorType.INT16) {
            node.allocatePersistentBuffer("int16 exp lookup table", 2L * INT16_LUT_ENTRIES);
            node.allocatePersistentBuffer("int16 1/(1+x) lookup table", 2L * INT16_LUT_ENTRIES);
        }
    }

    /** Declares SOFTMAX's footprint ({@link #declareFootprint}) and checks the node (int8 or float32 input). */
    @Override
    public void prepare(NodeContext node) {
        declareFootprint(node);
        MicroTensor input = node.requiredInput(0);
        MicroTensor output = node.output(0);
        BuiltinOptions.Softmax options = node.options(BuiltinOptions.Softmax.class);
        beta = options == null ? 0f : options.beta();
        if (!Float.isFinite(beta)) {
            throw node.fail("beta", "must be finite, got " + beta);
        }
        if (input.rank() < 1) {
            throw node.fail("input", "must have rank >= 1");
        }
        TensorChecks.requireSameShape(node, input, output);
        depth = input.dim(input.rank() - 1);
        rows = depth == 0 ? 0 : input.elementCount() / depth;
        node.requireType(input, "input", TensorType.INT8, TensorType.FLOAT32);
        outputType = output.type();
        if (input.type() == TensorType.FLOAT32) {
            node.requireType(output, "output", TensorType.FLOAT32);
            return;
        }
        node.requireType(output, "output", TensorType.INT8, TensorType.INT16);
        TensorChecks.requirePerTensorQuantization(node, input, "input");
        TensorChecks.requirePerTensorQuantization(node, output, "output");
        if (outputType == TensorType.INT8) {
            if (output.zeroPoint() != -128 || output.scale() != 1.0f / 256) {
                throw node.fail("output.quantization", "int8 SOFTMAX needs scale 1/256 and zero point -128, got scale "
                        + output.scale() + ", zero point " + output.zeroPoint());
            }
        } else if (output.zeroPoint() != -32768
                || Math.abs(output.scale() - 1.0f / 65536) > 0.001f * 1.0f / 65536) {
            throw node.fail("output.quantization", "int16 SOFTMAX output needs scale 1/65536 and zero point -32768, "
                    + "got scale " + output.scale() + ", zero point " + output.zeroPoint());
        }
        QuantizedMath.Multiplier m;
        try {
            m = FixedPointMath.preprocessSoftmaxScaling(beta, input.scale(), SCALED_DIFF_INTEGER_BITS);
        } catch (IllegalArgumentException e) {
            throw node.fail("beta", "too small for the input scale " + input.scale() + ": " + e.getMessage());
        }
        inputMultiplier = m.multiplier();
        inputLeftShift = m.shift();
        diffMin = -FixedPointMath.calculateInputRadius(SCALED_DIFF_INTEGER_BITS, inputLeftShift, 31);
        rowExp = new int[depth];
    }

    @Override
    public void invoke(NodeContext node) {
        if (outputType == TensorType.FLOAT32) {
            invokeFloat(node);
        } else {
            invokeQuantized(node);
        }
    }

    /**
     * What prepare derived for a node with int8 input (the C code generator emits these constants), or null for a
     * float32 node.
     */
    public QuantizedParameters quantizedParameters() {
        return outputType == TensorType.FLOAT32 ? null : new QuantizedParameters(rows, depth,
                outputType == TensorType.INT8 ? 8 : 16, inputMultiplier, inputLeftShift, diffMin);
    }

    /** The fixed-point arithmetic of one prepared int8-input SOFTMAX, as {@link #invoke} runs it. */
    public record QuantizedParameters(int rows, int depth, int outputBits, int inputMultiplier, int inputLeftShift,
                                      int diffMin) {
    }

    private void invokeQuantized(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        byte[] in = input.data();
        int inBase = input.dataOffset();
        byte[] out = output.data();
        int outBase = output.dataOffset();
        boolean int8Out = outputType == TensorType.INT8;
        int outputBits = int8Out ? 8 : 16;
        int outMin = int8Out ? Byte.MIN_VALUE : Short.MIN_VALUE;
        int outMax = int8Out ? Byte.MAX_VALUE : Short.MAX_VALUE;
        for (int row = 0; row < rows; row++) {
            int rowBase = inBase + row * depth;
            int max = Byte.MIN_VALUE;
            for (int c = 0; c < depth; c++) {
                max = Math.max(max, in[rowBase + c]);
            }
            int sumOfExps = 0; // Q12.19
            for (int c = 0; c < depth; c++) {
                int diff = in[rowBase + c] - max;
                if (diff >= diffMin) {
                    int scaledDiff = FixedPointMath.multiplyByQuantizedMultiplierGreaterThanOne(diff, inputMultiplier,
                            inputLeftShift);
                    int exp = FixedPointMath.expOnNegativeValues(scaledDiff, SCALED_DIFF_INTEGER_BITS);
                    rowExp[c] = exp;
                    sumOfExps += FixedPointMath.rescale(exp, 0, ACCUMULATION_INTEGER_BITS);
                } else {
                    rowExp[c] = -1;
                }
            }
            int numBitsOverUnit = ACCUMULATION_INTEGER_BITS - Integer.numberOfLeadingZeros(sumOfExps);
            int exponent = numBitsOverUnit + 31 - outputBits;
            if (sumOfExps <= 0 || exponent < 0 || exponent > 31) {
                // TFLM stops here with TFLITE_CHECK(0 <= exponent && exponent <= 31).
                throw node.fail("input", "row " + row + ": the sum of exponentials overflows TFLM's fixed-point "
                        + "softmax (too many elements near the row maximum for a " + depth + "-wide row)");
            }
            int shiftedScale = FixedPointMath.reciprocal(sumOfExps);
            for (int c = 0; c < depth; c++) {
                int value;
                if (rowExp[c] >= 0) {
                    int unsat = QuantizedMath.roundingDivideByPOT(
                            QuantizedMath.saturatingRoundingDoublingHighMul(shiftedScale, rowExp[c]), exponent);
                    value = Math.max(outMin, Math.min(outMax, unsat + outMin));
                } else {
                    value = outMin;
                }
                if (int8Out) {
                    out[outBase + row * depth + c] = (byte) value;
                } else {
                    INT16.set(out, outBase + 2 * (row * depth + c), (short) value);
                }
            }
        }
    }

    private void invokeFloat(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        byte[] in = input.data();
        int inBase = input.dataOffset();
        byte[] out = output.data();
        int outBase = output.dataOffset();
        for (int row = 0; row < rows; row++) {
            int first = row * depth;
            float max = -Float.MAX_VALUE;
            for (int c = 0; c < depth; c++) {
                max = Math.max(max, (float) FLOAT32.get(in, inBase + 4 * (first + c)));
            }
            float sum = 0f;
            for (int c = 0; c < depth; c++) {
                float x = (float) FLOAT32.get(in, inBase + 4 * (first + c));
                float e = LibmFloat.expf((x - max) * beta); // std::exp on a float: expf
                FLOAT32.set(out, outBase + 4 * (first + c), e);
                sum += e;
            }
            for (int c = 0; c < depth; c++) {
                int at = outBase + 4 * (first + c);
                FLOAT32.set(out, at, (float) FLOAT32.get(out, at) / sum);
            }
        }
    }
}
