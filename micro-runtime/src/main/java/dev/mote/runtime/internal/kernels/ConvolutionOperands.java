package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.TensorType;

/**
 * What CONV_2D and DEPTHWISE_CONV_2D validate and precompute alike once their shapes are known: one bias value per
 * output channel, the operand types (float32 throughout, int8 input, filter and output with an int32 bias, or 16x8:
 * int16 input and output, int8 filter), and then either the fused activation's float range, the int8 per-channel
 * requantization ({@link PerChannelQuantization}) or the 16x8 one ({@link Int16Requantization}). The kernels copy these fields into locals before their hot loops.
 */
final class ConvolutionOperands {
    /** int8 input, filter and output. */
    final boolean quantized;
    /** 16x8: int16 input and output, int8 filter; {@link #int16} holds the requantization. */
    final Int16Requantization int16;
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
        this(hasBias, q, floatRange, null);
    }

    private ConvolutionOperands(boolean hasBias, PerChannelQuantization q, QuantizedMath.FloatRange floatRange,
                                Int16Requantization int16) {
        this.int16 = int16;
        this.quantized = q != null && int16 == null;
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
     * @param int32Bias16      whether a 16x8 node of this op takes an int32 bias (CONV_2D does, with an int32
     *                         accumulator; DEPTHWISE_CONV_2D reads its bias as int64 only)
     */
    static ConvolutionOperands prepare(NodeContext node, MicroTensor input, MicroTensor filter, MicroTensor bias,
                                       MicroTensor output, int channels, int channelDimension,
                                       Activation activation, boolean int32Bias16) {
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
        if (input.type() == TensorType.INT16) {
            return prepareInt16(node, input, filter, bias, output, channels, channelDimension, activation,
                    int32Bias16);
        }
        node.requireType(input, "input", TensorType.INT8, TensorType.INT16, TensorType.FLOAT32);
        TensorChecks.requireWeightedOperandTypes(node, filter, bias, output, TensorType.INT8, TensorType.INT32);
        return new ConvolutionOperands(hasBias, PerChannelQuantization.prepare(node, input, filter, output,
                channelDimension, channels, activation), null);
    }

    /**
     * A 16x8 node: int8 filter and int16 output, the int8 per-channel multipliers, the activation clamp over int16,
     * and TFLite's 16x8 reference arithmetic, which reads no zero point (neither input nor output offset is
     * applied; the clamp still includes the output zero point, as {@code CalculateActivationRangeQuantized} does).
     */
    private static ConvolutionOperands prepareInt16(NodeContext node, MicroTensor input, MicroTensor filter,
                                                    MicroTensor bias, MicroTensor output, int channels,
                                                    int channelDimension, Activation activation,
                                                    boolean int32Bias) {
        node.requireType(filter, "filter", TensorType.INT8);
        node.requireType(output, "output", TensorType.INT16);
        PerChannelQuantization q = PerChannelQuantization.prepare(node, input, filter, output, channelDimension,
                channels, activation, Short.MIN_VALUE, Short.MAX_VALUE);
        int[] shifts = q.shifts();
        boolean wide = int32Bias
                ? Int16Requantization.wideAccumulator(node, bias, shifts, TensorType.INT32, TensorType.INT64)
                : Int16Requantization.wideAccumulator(node, bias, shifts, TensorType.INT64);
        return new ConvolutionOperands(bias != null, q, null, new Int16Requantization(wide, q.multipliers(), shifts,
                0, q.activationMin(), q.activationMax()));
    }
}
