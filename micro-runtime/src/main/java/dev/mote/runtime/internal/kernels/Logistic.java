package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.internal.FixedPointMath;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;

/**
 * LOGISTIC: {@code 1 / (1 + exp(-x))}. int8 follows TFLM's {@code reference_integer_ops::Logistic}: the input
 * difference is rescaled to Q4.27 (multiplier from {@code frexp(in_scale * 2^27)}), inputs beyond the input range
 * radius saturate, the rest go through gemmlowp's fixed-point logistic and are rounded to the output scale 1/256
 * with zero point -128 (which Mote requires, as the TFLite converter produces). int16 (zero points 0, output scale
 * 2^-15) is TFLite's table sigmoid ({@link Int16Activations}, shared with the LSTM). float32 uses TFLM's cut-offs.
 */
public final class Logistic extends ElementwiseUnaryKernel {

    /** TFLM's {@code OpDataLogistic}: 4 int32 (input zero point, range radius, multiplier, left shift). */
    @Override
    CStruct opData(Abi abi) {
        return CStruct.of(abi).int32s(4).build();
    }
    private static final int OUTPUT_INTEGER_BITS = 8;

    private FixedPointInput input;

    private int int16Multiplier;
    private int int16Shift;

    @Override
    boolean acceptsInt16() {
        return true;
    }

    /** int16: TFLM's prepare checks ({@link Int16Activations#prepare}); eval is TFLite's int16 table lookup. */
    private void prepareInt16(NodeContext node, MicroTensor input, MicroTensor output) {
        int[] scaling = Int16Activations.prepare(node, "LOGISTIC", input, output, false);
        int16Multiplier = scaling[0];
        int16Shift = scaling[1];
    }

    @Override
    int int16Value(int q) {
        return Int16Activations.sigmoid(q, int16Multiplier, int16Shift);
    }

    @Override
    void prepareInt8(NodeContext node, MicroTensor input, MicroTensor output) {
        if (input.type() == dev.mote.vocabulary.TensorType.INT16) {
            prepareInt16(node, input, output);
            return;
        }
        if (output.zeroPoint() != -128 || output.scale() != 1.0f / 256) {
            throw node.fail("output.quantization", "int8 LOGISTIC needs scale 1/256 and zero point -128, got scale "
                    + output.scale() + ", zero point " + output.zeroPoint());
        }
        this.input = FixedPointInput.of(input);
    }

    @Override
    int int8Value(int q) {
        return input.apply(q, inQ4 -> {
            int outQ0 = FixedPointMath.logistic(inQ4, FixedPointInput.INTEGER_BITS);
            int outQ23 = QuantizedMath.roundingDivideByPOT(outQ0, 31 - OUTPUT_INTEGER_BITS);
            return clampInt8(outQ23 - 128);
        });
    }

    @Override
    float floatValue(float x) {
        return logisticFloat(x);
    }

    /**
     * TFLite's float {@code reference_ops::Logistic} of one value (also what TFLM's float LSTM applies to its
     * gates).
     */
    static float logisticFloat(float x) {
        final float cutoffUpper = 16.619047164916992188f;
        final float cutoffLower = -9f;
        if (x > cutoffUpper) {
            return 1.0f;
        }
        if (x < cutoffLower) {
            return LibmFloat.expf(x);
        }
        return 1.0f / (1.0f + LibmFloat.expf(-x));
    }
}
