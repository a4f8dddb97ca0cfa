package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.NodeContext;
import dev.mote.vocabulary.TensorType;

import java.util.Arrays;

/** Prepare-time checks shared by the kernels; each failure names the operator and the field. */
final class TensorChecks {
    private TensorChecks() {
    }

    /**
     * Requires per-tensor quantization with a positive finite scale and a zero point inside the type's range
     * ({@code what} names the tensor: "input", "output", ...).
     */
    static void requirePerTensorQuantization(NodeContext node, MicroTensor tensor, String what) {
        requirePerTensorQuantization(node, tensor, what, false);
    }

    /**
     * As {@link #requirePerTensorQuantization(NodeContext, MicroTensor, String)}, but a scale of exactly 0 runs with
     * a warning, for the operands whose scale TFLM only multiplies (into a rescaling multiplier of 0, which
     * {@code QuantizeMultiplier} turns into multiplier 0, shift 0): every value of the tensor then reads as 0, and
     * TFLM computes a well-defined result (QUANTIZE's output is its zero point, DEQUANTIZE's is 0, a convolution's
     * is its output zero point). A scale of 0 that TFLM divides by (an output's, or ADD's inputs') gives infinite or
     * NaN multipliers and clamps, which C converts to integers with undefined behaviour: those stay refused.
     */
    static void requirePerTensorQuantizationOrZeroScale(NodeContext node, MicroTensor tensor, String what) {
        requirePerTensorQuantization(node, tensor, what, true);
    }

    private static void requirePerTensorQuantization(NodeContext node, MicroTensor tensor, String what,
                                                     boolean zeroScaleRuns) {
        var q = tensor.quantization();
        if (!q.isQuantized()) {
            throw node.fail(what + ".quantization", "a " + tensor.type() + " tensor needs a scale and a zero point");
        }
        if (q.channelCount() != 1) {
            throw node.fail(what + ".quantization", "must be per-tensor (1 scale), got " + q.channelCount()
                    + " scales");
        }
        if (q.zeroPoints().length == 0) {
            // TFLM's allocator reads a quantization with scales but no zero points as no quantization: the kernel
            // would see scale 0 and zero point 0, not the declared scale. Computing with the declared scale would
            // silently differ from TFLM, so refuse.
            throw node.fail(what + ".quantization.zero_point", "has no values for the scale " + q.scale()
                    + " (TFLM reads the " + what + " as not quantized, scale 0 and zero point 0); give it a zero "
                    + "point");
        }
        float scale = q.scale();
        if (zeroScaleRuns && scale == 0f) {
            node.warn(ModelWarning.Kind.QUANTIZATION, what + ".quantization.scale", "is 0: every value of the "
                    + what + " reads as 0 (TFLM runs it: its rescaling multiplier is 0)");
        } else if (!(scale > 0f) || Float.isInfinite(scale)) {
            throw node.fail(what + ".quantization.scale", "must be positive and finite, got " + scale);
        }
        long zp = q.zeroPoint();
        long lo = tensor.type() == TensorType.INT16 ? Short.MIN_VALUE
                : tensor.type() == TensorType.INT32 ? Integer.MIN_VALUE : Byte.MIN_VALUE;
        long hi = tensor.type() == TensorType.INT16 ? Short.MAX_VALUE
                : tensor.type() == TensorType.INT32 ? Integer.MAX_VALUE : Byte.MAX_VALUE;
        if (zp < lo || zp > hi) {
            throw node.fail(what + ".quantization.zero_point", zp + " is outside the " + tensor.type() + " range");
        }
    }

    /** Requires {@code output} to have exactly the shape of {@code input}. */
    static void requireSameShape(NodeContext node, MicroTensor input, MicroTensor output) {
        if (!Arrays.equals(input.shape(), output.shape())) {
            throw node.fail("output", "shape " + Arrays.toString(output.shape()) + " differs from the input shape "
                    + Arrays.toString(input.shape()));
        }
    }

    /**
     * Requires {@code output} to have as many elements as {@code input}, and warns if its shape differs: TFLM's
     * elementwise kernels loop over the flat size ({@code MatchingFlatSize}, whose shape check is a debug-only
     * assertion), so an output declared [4] for a [2, 2] input runs; with another element count the kernel would
     * write past the output or leave part of it unwritten.
     */
    static void requireSameElementCount(NodeContext node, MicroTensor input, MicroTensor output) {
        if (input.elementCount() != output.elementCount()) {
            throw node.fail("output", "shape " + Arrays.toString(output.shape()) + " has " + output.elementCount()
                    + " elements, the input " + Arrays.toString(input.shape()) + " has " + input.elementCount()
                    + "; the output must have as many elements as the input");
        }
        if (!Arrays.equals(input.shape(), output.shape())) {
            node.warn(ModelWarning.Kind.SHAPE, "output", "shape " + Arrays.toString(output.shape())
                    + " differs from the input shape " + Arrays.toString(input.shape()) + " (same element count: "
                    + "the op runs elementwise over the flat data, as in TFLM)");
        }
    }

    /**
     * Requires the filter and output of a weighted op (FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D) to have type
     * {@code type} and its bias, if present ({@code bias != null}), {@code biasType}.
     */
    static void requireWeightedOperandTypes(NodeContext node, MicroTensor filter, MicroTensor bias,
                                            MicroTensor output, TensorType type, TensorType biasType) {
        node.requireType(filter, "filter", type);
        node.requireType(output, "output", type);
        if (bias != null) {
            node.requireType(bias, "bias", biasType);
        }
    }

    /**
     * For the ops TFLM implements as a byte copy without a type check (SQUEEZE, EXPAND_DIMS): an output type other
     * than the input's runs with a warning if its elements have the same size (the bytes are copied as they are);
     * with another element size the element counts would disagree with the bytes copied, so it is refused.
     */
    static void requireSameTypeOrCopyableBytes(NodeContext node, MicroTensor input, MicroTensor output) {
        if (input.type() == output.type()) {
            return;
        }
        int size = input.type().bytesPerElement();
        if (size <= 0 || size != output.type().bytesPerElement()) {
            requireSameType(node, input, output);
        }
        node.warn(ModelWarning.Kind.QUANTIZATION, "output", "type " + output.type() + " differs from the input type "
                + input.type() + " (TFLM does not check it and copies the bytes as they are)");
    }

    /** Requires the output to have the input's type. */
    static void requireSameType(NodeContext node, MicroTensor input, MicroTensor output) {
        if (input.type() != output.type()) {
            throw node.fail("output", "type " + output.type() + " differs from the input type " + input.type());
        }
    }
}
