package dev.mote.runtime.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.format.BuiltinOptions;

/**
 * SUB ({@code input1 - input2}) with broadcasting up to 6 dimensions and a fused activation. int8 uses TFLite's
 * reference quantized arithmetic with TFLM's single-precision multiplier derivation ({@link QuantizedAddSub});
 * float32 subtracts and clamps.
 */
public final class Sub extends ElementwiseBinaryKernel {
    private QuantizedAddSub arithmetic;

    @Override
    int activationCode(NodeContext node) {
        BuiltinOptions.Sub options = node.options(BuiltinOptions.Sub.class);
        return options == null ? 0 : options.activation();
    }

    @Override
    int maxBroadcastRank() {
        return 6;
    }

    @Override
    void prepareInt8(NodeContext node, MicroTensor input1, MicroTensor input2, MicroTensor output) {
        try {
            arithmetic = QuantizedAddSub.forSub(input1, input2, output);
        } catch (IllegalArgumentException e) {
            throw node.fail("output.quantization.scale", e.getMessage());
        }
    }

    @Override
    int int8Value(int x, int y) {
        return arithmetic.subtract(x, y, actMin, actMax);
    }

    @Override
    float floatValue(float x, float y) {
        return x - y;
    }
}
