package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.NodeContext;
import dev.mote.vocabulary.Activation;

/** Reads a kernel's {@code fused_activation_function} option, refusing what TFLM's kernels refuse. */
final class FusedActivation {
    private FusedActivation() {
    }

    /**
     * The activation with this code; fails naming the field for unknown codes and for TANH / SIGN_BIT, which
     * TFLM's {@code CalculateActivationRange(Quantized)} does not support.
     */
    static Activation parse(NodeContext node, int code) {
        Activation activation = Activation.fromCode(code);
        if (activation == null || activation == Activation.TANH || activation == Activation.SIGN_BIT) {
            throw node.fail("fused_activation_function", "unsupported value " + code
                    + " (expected NONE, RELU, RELU_N1_TO_1 or RELU6)");
        }
        return activation;
    }
}
