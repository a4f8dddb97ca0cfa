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
 * (scale 1/256, zero point -128) or int16 (scale 1/65536, zero point -32768), as TFLM requires. int16 input (int16
 * output, scale 1/32768, zero point 0) follows TFLM's {@code SoftmaxInt16}: two 513-entry lookup tables built in
 * prepare ({@link Int16Lut}), interpolated. float32 follows the reference float kernel.
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
    private boolean int16Input;
    private short[] expLut;
    private short[] oneOverOnePlusXLut;
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
     * each). The one home of SOFTMAX's footprint.
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

    /** Declares SOFTMAX's footprint ({@link #declareFootprint}) and checks the node (int8, int16 or float32 input). */
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
        node.requireType(input, "input", TensorType.INT8, TensorType.INT16, TensorType.FLOAT32);
        outputType = output.type();
        int16Input = input.type() == TensorType.INT16;
        if (int16Input) {
            prepareInt16(node, input, output);
            return;
        }
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

    /**
     * int16 input (TFLM's {@code SoftmaxPrepare} and {@code CalculateSoftmaxParams}): input zero point 0 (TFLM at
     * 90b983c2 refuses any other), int16 output with zero point 0
     * and scale 1/32768; the lookup tables of {@code exp} on [-10, 0] and of {@code 1/(1+x)} on [0, 1]
     * ({@code LUTPopulate<int16_t>} in float); the input multiplier of {@code input_scale * beta / (10 / 65535)},
     * which maps a difference to the row maximum onto the exp table's input range.
     */
    private void prepareInt16(NodeContext node, MicroTensor input, MicroTensor output) {
        node.requireType(output, "output", TensorType.INT16);
        TensorChecks.requirePerTensorQuantization(node, input, "input");
        TensorChecks.requirePerTensorQuantization(node, output, "output");
        if (input.zeroPoint() != 0) {
            throw node.fail("input.quantization", "int16 SOFTMAX needs input zero point 0 (TFLM refuses "
                    + input.zeroPoint() + ")");
        }
        if (output.zeroPoint() != 0 || Math.abs(output.scale() - 1.0f / 32768) > 0.001f * 1.0f / 32768) {
            throw node.fail("output.quantization", "int16 SOFTMAX needs scale 1/32768 and zero point 0, got scale "
                    + output.scale() + ", zero point " + output.zeroPoint());
        }
        int range = Short.MAX_VALUE - Short.MIN_VALUE;
        expLut = Int16Lut.populate(10.0f / range, Short.MAX_VALUE, 2.0f / range, 0, LibmFloat::expf);
        oneOverOnePlusXLut = Int16Lut.populate(1.0f / range, Short.MIN_VALUE, 2.0f / range, 0,
                v -> 1.0f / (1.0f + v));
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(
                (double) input.scale() * (double) beta / (10.0 / 65535.0));
        inputMultiplier = m.multiplier();
        inputLeftShift = m.shift();
        rowExp = new int[depth];
    }

    @Override
    public void invoke(NodeContext node) {
        if (int16Input) {
            invokeInt16(node);
        } else if (outputType == TensorType.FLOAT32) {
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

    /** TFLM's {@code SoftmaxInt16} (reference/softmax.h). */
    private void invokeInt16(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        byte[] in = input.data();
        int inBase = input.dataOffset();
        byte[] out = output.data();
        int outBase = output.dataOffset();
        for (int row = 0; row < rows; row++) {
            int first = row * depth;
            int max = Short.MIN_VALUE;
            for (int c = 0; c < depth; c++) {
                max = Math.max(max, (short) INT16.get(in, inBase + 2 * (first + c)));
            }
            int sumOfExps = 0; // Q16.15
            for (int c = 0; c < depth; c++) {
                int diff = (short) INT16.get(in, inBase + 2 * (first + c)) - max;
                int scaled = QuantizedMath.multiplyByQuantizedMultiplier(diff, inputMultiplier, inputLeftShift);
                int symmetric = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, scaled + 32767));
                int exp = Int16Lut.lookup((short) symmetric, expLut);
                rowExp[c] = exp;
                sumOfExps += exp;
            }
            int headroomPlusOne = Integer.numberOfLeadingZeros(sumOfExps);
            int shiftedSum = (int) ((((long) sumOfExps << (headroomPlusOne - 1)) + (1 << 13)) >> 14);
            int symmetricSum = shiftedSum - ((1 << 15) + (1 << 16));
            short saturatedSum = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, symmetricSum));
            long reciprocal = Int16Lut.lookup(saturatedSum, oneOverOnePlusXLut);
            int rightShift = 31 - headroomPlusOne;
            long round = 1 << (rightShift - 1); // an int shift, widened, as in TFLM
            for (int c = 0; c < depth; c++) {
                int result = (int) ((rowExp[c] * reciprocal + round) >> rightShift);
                INT16.set(out, outBase + 2 * (first + c), (short) Math.max(0, Math.min(Short.MAX_VALUE, result)));
            }
        }
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
