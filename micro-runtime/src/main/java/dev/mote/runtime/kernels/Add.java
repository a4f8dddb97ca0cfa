package dev.mote.runtime.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.format.BuiltinOptions;

/**
 * ADD with broadcasting up to 6 dimensions and a fused activation. int8 uses TFLite's reference quantized
 * arithmetic (left shift 20, per-input multipliers, see {@link QuantizedAddSub}); float32 adds and clamps.
 */
public final class Add extends ElementwiseBinaryKernel {
    private QuantizedAddSub arithmetic;

    @Override
    int activationCode(NodeContext node) {
        BuiltinOptions.Add options = node.options(BuiltinOptions.Add.class);
        return options == null ? 0 : options.activation();
    }

    @Override
    int maxBroadcastRank() {
        return 6;
    }

    @Override
    void prepareInt8(NodeContext node, MicroTensor input1, MicroTensor input2, MicroTensor output) {
        try {
            arithmetic = QuantizedAddSub.forAdd(input1, input2, output);
        } catch (IllegalArgumentException e) {
            throw node.fail("output.quantization.scale", e.getMessage());
        }
    }

    @Override
    int int8Value(int x, int y) {
        return arithmetic.add(x, y, actMin, actMax);
    }

    @Override
    float floatValue(float x, float y) {
        return x + y;
    }
}
