package dev.mote.runtime.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.QuantizedMath;
import dev.mote.runtime.format.BuiltinOptions;

/**
 * MUL with broadcasting up to 4 dimensions (TFLM's {@code BroadcastMul4DSlow}) and a fused activation. int8:
 * {@code zp_out + MultiplyByQuantizedMultiplier((x - zp1) * (y - zp2), s1 * s2 / s_out)}, clamped; float32
 * multiplies and clamps.
 */
public final class Mul extends ElementwiseBinaryKernel {
    private int input1Offset;
    private int input2Offset;
    private int outputOffset;
    private int multiplier;
    private int shift;

    @Override
    int activationCode(NodeContext node) {
        BuiltinOptions.Mul options = node.options(BuiltinOptions.Mul.class);
        return options == null ? 0 : options.activation();
    }

    @Override
    int maxBroadcastRank() {
        return 4;
    }

    @Override
    void prepareInt8(NodeContext node, MicroTensor input1, MicroTensor input2, MicroTensor output) {
        input1Offset = -input1.zeroPoint();
        input2Offset = -input2.zeroPoint();
        outputOffset = output.zeroPoint();
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(
                (double) input1.scale() * (double) input2.scale() / (double) output.scale());
        multiplier = m.multiplier();
        shift = m.shift();
    }

    @Override
    int int8Value(int x, int y) {
        int v = outputOffset + QuantizedMath.multiplyByQuantizedMultiplier((input1Offset + x) * (input2Offset + y),
                multiplier, shift);
        return Math.min(actMax, Math.max(actMin, v));
    }

    @Override
    float floatValue(float x, float y) {
        return x * y;
    }
}
