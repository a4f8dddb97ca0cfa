package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.TensorType;

/**
 * What CONV_2D and DEPTHWISE_CONV_2D validate and precompute alike once their shapes are known: one bias value per
 * output channel, the operand types (float32 throughout, or int8 input, filter and output with an int32 bias), and
 * then either the fused activation's float range or the int8 per-channel requantization
 * ({@link PerChannelQuantization}). The kernels copy these fields into locals before their hot loops.
 */
final class ConvolutionOperands {
    final boolean quantized;
    final boolean hasBias;
    // int8
    final int[] multipliers;
    final int[] shifts;
    final int inputOffset;
    final int outputOffset;
    final int actMin;
    final int actMax;
    // float32
    final float floatMin;
    final float floatMax;

    private ConvolutionOperands(boolean hasBias, PerChannelQuantization q, QuantizedMath.FloatRange floatRange) {
        this.quantized = q != null;
        this.hasBias = hasBias;
        this.multipliers = q == null ? null : q.multipliers();
        this.shifts = q == null ? null : q.shifts();
        this.inputOffset = q == null ? 0 : q.inputOffset();
        this.outputOffset = q == null ? 0 : q.outputOffset();
        this.actMin = q == null ? 0 : q.activationMin();
        this.actMax = q == null ? 0 : q.activationMax();
        this.floatMin = floatRange == null ? 0f : floatRange.min();
        this.floatMax = floatRange == null ? 0f : floatRange.max();
    }

    /**
     * Validates bias size and operand types (naming the failing field) and computes the float range or the int8
     * requantization.
     *
     * @param bias             the optional bias, or {@code null}
     * @param channels         the number of output channels
     * @param channelDimension the filter dimension of the output channels (0 for CONV_2D, 3 for DEPTHWISE_CONV_2D)
     */
    static ConvolutionOperands prepare(NodeContext node, MicroTensor input, MicroTensor filter, MicroTensor bias,
                                       MicroTensor output, int channels, int channelDimension,
                                       Activation activation) {
        boolean hasBias = bias != null;
        if (hasBias && bias.elementCount() != channels) {
            throw node.fail("bias", "has " + bias.elementCount() + " elements, expected one per output channel ("
                    + channels + ")");
        }
        if (input.type() == TensorType.FLOAT32) {
            TensorChecks.requireWeightedOperandTypes(node, filter, bias, output, TensorType.FLOAT32,
                    TensorType.FLOAT32);
            return new ConvolutionOperands(hasBias, null, QuantizedMath.activationRange(activation));
        }
        node.requireType(input, "input", TensorType.INT8, TensorType.FLOAT32);
        TensorChecks.requireWeightedOperandTypes(node, filter, bias, output, TensorType.INT8, TensorType.INT32);
        return new ConvolutionOperands(hasBias, PerChannelQuantization.prepare(node, input, filter, output,
                channelDimension, channels, activation), null);
    }
}
