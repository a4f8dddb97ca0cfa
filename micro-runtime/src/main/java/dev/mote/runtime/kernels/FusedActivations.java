package dev.mote.runtime.kernels;

import dev.mote.runtime.NodeContext;
import dev.mote.runtime.QuantizedMath;
import dev.mote.runtime.format.Activation;

/**
 * The {@code fused_activation_function} of conv and pooling ops: which codes a kernel accepts and the clamping
 * range each gives (TFLite's {@code CalculateActivationRange[Quantized]}, via {@link QuantizedMath}).
 */
final class FusedActivations {
    static final String FIELD = "fused_activation_function";

    private FusedActivations() {
    }

    /**
     * The activation with schema code {@code code}; fails naming the field for unknown codes and for TANH and
     * SIGN_BIT, which TFLM's reference kernels do not apply (they would silently run as NONE).
     */
    static Activation require(NodeContext node, int code) {
        Activation activation = Activation.fromCode(code);
        if (activation == null || activation == Activation.TANH || activation == Activation.SIGN_BIT) {
            throw node.fail(FIELD, "unsupported value " + code
                    + " (expected 0 = NONE, 1 = RELU, 2 = RELU_N1_TO_1 or 3 = RELU6)");
        }
        return activation;
    }

    /** The int8 clamping range for an output with the given scale and zero point. */
    static QuantizedMath.IntRange int8Range(Activation activation, float outputScale, int outputZeroPoint) {
        return QuantizedMath.activationRange(activation, outputScale, outputZeroPoint, Byte.MIN_VALUE,
                Byte.MAX_VALUE);
    }
}
