package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.internal.FixedPointMath;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;

/**
 * TANH. int8 follows TFLM's {@code reference_integer_ops::Tanh}: the input difference is rescaled to Q4.27, inputs
 * beyond the input range radius saturate to -128 / 127, the rest go through gemmlowp's fixed-point tanh and are
 * rounded to the output scale 1/128 with zero point 0 (which Mote requires: TFLM's arithmetic assumes it).
 * int16 (zero points 0, output scale 2^-15) is TFLite's table tanh ({@link Int16Activations}, shared with the LSTM).
 * float32 uses {@code tanh}.
 */
public final class Tanh extends ElementwiseUnaryKernel {

    /** TFLM's tanh {@code OpData}: 4 int32 (input zero point, range radius, multiplier, left shift). */
    @Override
    CStruct opData(Abi abi) {
        return CStruct.of(abi).int32s(4).build();
    }

    /** TFLM's {@code TanhPrepare} allocates the input twice (once in {@code CalculateArithmeticOpData}), then the output. */
    @Override
    void allocateTempTensors(NodeContext node) {
        node.allocateTempInputTensor(0);
        node.allocateTempInputTensor(0);
        node.allocateTempOutputTensor(0);
    }
    private static final int OUTPUT_SCALE_BITS = 7;

    private FixedPointInput input;

    @Override
    boolean zeroOutputScaleRuns() {
        return true;
    }

    private int int16Multiplier;
    private int int16Shift;

    @Override
    boolean acceptsInt16() {
        return true;
    }

    /** int16: TFLM's prepare checks ({@link Int16Activations#prepare}); eval is TFLite's int16 table lookup. */
    private void prepareInt16(NodeContext node, MicroTensor input, MicroTensor output) {
        int[] scaling = Int16Activations.prepare(node, "TANH", input, output, true);
        int16Multiplier = scaling[0];
        int16Shift = scaling[1];
    }

    @Override
    int int16Value(int q) {
        return Int16Activations.tanh(q, int16Multiplier, int16Shift);
    }

    @Override
    void prepareInt8(NodeContext node, MicroTensor input, MicroTensor output) {
        if (input.type() == dev.mote.vocabulary.TensorType.INT16) {
            prepareInt16(node, input, output);
            return;
        }
        if (output.zeroPoint() != 0 || output.scale() != 1.0f / 128) {
            node.warn(ModelWarning.Kind.QUANTIZATION, "output.quantization", "scale " + output.scale()
                    + ", zero point " + output.zeroPoint() + " is not TANH's fixed int8 range (scale 1/128, zero "
                    + "point 0); TFLM's int8 TANH ignores the output quantization and writes values in 1/128 steps "
                    + "around 0, and so does Mote: read the output as scale 1/128, zero point 0");
        }
        this.input = FixedPointInput.of(input);
    }

    @Override
    int int8Value(int q) {
        return input.apply(q, inQ4 -> clampInt8(QuantizedMath.roundingDivideByPOT(
                FixedPointMath.tanh(inQ4, FixedPointInput.INTEGER_BITS), 31 - OUTPUT_SCALE_BITS)));
    }

    @Override
    float floatValue(float x) {
        return LibmFloat.tanhf(x); // std::tanh on a float: tanhf
    }
}
