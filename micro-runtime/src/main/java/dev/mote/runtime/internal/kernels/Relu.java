package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;

/**
 * RELU: {@code max(x, 0)}. int8 requantizes from the input's to the output's scale as TFLM's {@code ReluQuantized}
 * does ({@code zp_out + MultiplyByQuantizedMultiplier(q - zp_in, in_scale / out_scale)}, clamped to
 * {@code [max(-128, zp_out), 127]}); float32 clamps at 0.
 */
public final class Relu extends ElementwiseUnaryKernel {

    /**
     * TFLM's {@code ReluOpData}: a {@code ReluParams}, which extends {@code ActivationParams} (the uint8
     * {@code activation_type}, {@code quantized_activation_min}/{@code max}) with the input and output offsets, the
     * output multiplier and shift ({@code kernels/internal/types.h}): 28 bytes on both ABIs, 32 in the arena.
     */
    @Override
    CStruct opData(Abi abi) {
        return CStruct.of(abi).int8().int32s(2).int32s(4).build();
    }
    private int inputOffset;
    private int outputOffset;
    private int multiplier;
    private int shift;
    private int actMin;

    @Override
    void prepareInt8(NodeContext node, MicroTensor input, MicroTensor output) {
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier((double) input.scale() / (double) output.scale());
        multiplier = m.multiplier();
        shift = m.shift();
        inputOffset = input.zeroPoint();
        outputOffset = output.zeroPoint();
        // act_min = zero_point + roundf(0 / scale)
        actMin = Math.max(Byte.MIN_VALUE, output.zeroPoint());
    }

    @Override
    int int8Value(int q) {
        int v = outputOffset + QuantizedMath.multiplyByQuantizedMultiplier(q - inputOffset, multiplier, shift);
        return Math.min(Byte.MAX_VALUE, Math.max(actMin, v));
    }

    @Override
    float floatValue(float x) {
        return x < 0f ? 0f : x;
    }
}
