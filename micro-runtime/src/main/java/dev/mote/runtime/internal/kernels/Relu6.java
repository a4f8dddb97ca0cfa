package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.Rounding;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;

/**
 * RELU6: {@code min(max(x, 0), 6)}. int8 follows TFLM's {@code Relu6Quantized}: it clamps the raw value between the
 * input's quantized 0 and 6 and does <em>not</em> requantize: an output quantization other than the input's is
 * ignored, as in TFLM, with a warning (the output bytes are in the input's quantization). float32 clamps.
 */
public final class Relu6 extends ElementwiseUnaryKernel {

    /** TFLM's {@code Relu6OpData} on the measured builds: two int32-sized fields. */
    @Override
    CStruct opData(Abi abi) {
        return CStruct.of(abi).int32s(2).build();
    }

    /** TFLM's {@code Relu6Prepare} allocates a temporary tensor for the input only (activations_common.cc). */
    @Override
    void allocateTempTensors(NodeContext node) {
        node.allocateTempInputTensor(0);
    }
    private int zero;
    private int six;

    @Override
    boolean zeroInputScaleRuns() {
        return false;
    }

    @Override
    boolean zeroOutputScaleRuns() {
        return true;
    }

    @Override
    void prepareInt8(NodeContext node, MicroTensor input, MicroTensor output) {
        if (input.scale() != output.scale() || input.zeroPoint() != output.zeroPoint()) {
            node.warn(ModelWarning.Kind.QUANTIZATION, "output.quantization", "scale " + output.scale()
                    + ", zero point " + output.zeroPoint() + " differs from the input's (scale " + input.scale()
                    + ", zero point " + input.zeroPoint() + "); TFLM's int8 RELU6 ignores it (it clamps the raw "
                    + "values in the input's quantization and does not requantize), and so does Mote: read the "
                    + "output with the input's parameters");
        }
        zero = input.zeroPoint();
        // FloatToQuantizedType<int8_t>(6.0f, scale, zero_point): round(6 / scale) + zp, clamped to int8
        six = clampInt8((int) Rounding.halfAwayFromZero(6.0f / input.scale()) + input.zeroPoint());
    }

    @Override
    int int8Value(int q) {
        return q > six ? six : (q < zero ? zero : q);
    }

    @Override
    float floatValue(float x) {
        return x > 6f ? 6f : (x < 0f ? 0f : x);
    }
}
