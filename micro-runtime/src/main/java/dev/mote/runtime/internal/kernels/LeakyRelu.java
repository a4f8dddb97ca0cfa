package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.runtime.format.BuiltinOptions;

/**
 * LEAKY_RELU: {@code x > 0 ? x : alpha * x}. int8 uses TFLM's two multipliers, identity
 * ({@code in_scale / out_scale}) for non-negative inputs and alpha ({@code in_scale * alpha / out_scale}) for
 * negative ones, both computed in float as TFLM does; int16 the same arithmetic clamped to int16; float32 applies
 * alpha directly.
 */
public final class LeakyRelu extends ElementwiseUnaryKernel {

    /** TFLM's {@code TfLiteLeakyReluParams}: alpha. */
    @Override
    CStruct builtinData(Abi abi) {
        return CStruct.of(abi).float32().build();
    }

    /** TFLM's {@code LeakyReluOpData}: 6 int32 (zero points, identity and alpha multipliers and shifts). */
    @Override
    CStruct opData(Abi abi) {
        return CStruct.of(abi).int32s(6).build();
    }
    private float alpha;
    private int inputOffset;
    private int outputOffset;
    private int identityMultiplier;
    private int identityShift;
    private int alphaMultiplier;
    private int alphaShift;

    private void readAlpha(NodeContext node) {
        BuiltinOptions.LeakyRelu options = node.options(BuiltinOptions.LeakyRelu.class);
        alpha = options == null ? 0f : options.alpha();
        if (!Float.isFinite(alpha)) {
            throw node.fail("alpha", "must be finite, got " + alpha);
        }
    }

    @Override
    void prepareInt8(NodeContext node, MicroTensor input, MicroTensor output) {
        readAlpha(node);
        inputOffset = input.zeroPoint();
        outputOffset = output.zeroPoint();
        // float products and quotients, widened to double afterwards, exactly as TFLM's LeakyReluPrepare
        QuantizedMath.Multiplier a = QuantizedMath.quantizeMultiplier((double) (input.scale() * alpha / output.scale()));
        QuantizedMath.Multiplier id = QuantizedMath.quantizeMultiplier((double) (input.scale() / output.scale()));
        alphaMultiplier = a.multiplier();
        alphaShift = a.shift();
        identityMultiplier = id.multiplier();
        identityShift = id.shift();
    }

    @Override
    void prepareFloat(NodeContext node) {
        readAlpha(node);
    }

    @Override
    int int8Value(int q) {
        return clampInt8(unclamped(q));
    }

    @Override
    boolean acceptsInt16() {
        return true;
    }

    /** int16: TFLM's {@code QuantizeLeakyRelu<int16_t>}, the int8 arithmetic clamped to int16. */
    @Override
    int int16Value(int q) {
        return clampInt16(unclamped(q));
    }

    private int unclamped(int q) {
        int x = q - inputOffset;
        return x >= 0
                ? outputOffset + QuantizedMath.multiplyByQuantizedMultiplier(x, identityMultiplier, identityShift)
                : outputOffset + QuantizedMath.multiplyByQuantizedMultiplier(x, alphaMultiplier, alphaShift);
    }

    @Override
    float floatValue(float x) {
        return x > 0f ? x : x * alpha;
    }
}
