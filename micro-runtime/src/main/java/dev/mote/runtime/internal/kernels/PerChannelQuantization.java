package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.ModelWarning;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.Activation;
import dev.mote.runtime.format.Quantization;

/**
 * The int8 requantization of a convolution with per-channel (or per-tensor) weights, computed once at prepare
 * as TFLite's {@code PopulateConvolutionQuantizationParams} does: for every output channel {@code c},
 * {@code QuantizeMultiplier(inputScale * filterScale[c] / outputScale)} in double precision, plus the input and
 * output offsets and the fused activation's clamping range.
 *
 * <pre>{@code
 * PerChannelQuantization q = PerChannelQuantization.prepare(node, input, filter, output, 0, outChannels,
 *         activation);
 * int y = QuantizedMath.multiplyByQuantizedMultiplier(acc, q.multiplier(c), q.shift(c)) + q.outputOffset();
 * }</pre>
 */
final class PerChannelQuantization {
    private final int[] multipliers;
    private final int[] shifts;
    private final int inputOffset;
    private final int outputOffset;
    private final int activationMin;
    private final int activationMax;

    private PerChannelQuantization(int[] multipliers, int[] shifts, int inputOffset, int outputOffset,
                                   int activationMin, int activationMax) {
        this.multipliers = multipliers;
        this.shifts = shifts;
        this.inputOffset = inputOffset;
        this.outputOffset = outputOffset;
        this.activationMin = activationMin;
        this.activationMax = activationMax;
    }

    /**
     * Validates the quantization of an int8 convolution node and computes its multipliers. Refuses (naming the
     * field) a non-quantized input, filter or output, a filter with neither one scale nor one per output channel,
     * per-channel scales on another dimension than {@code channelDimension} and a filter without zero points (TFLM
     * reads it as not quantized). Non-zero filter zero points are a warning: TFLite's int8 weights are symmetric and
     * TFLM's kernels ignore the filter zero point, so Mote ignores it too (as it does a zero point count other than
     * the scale count, which {@link dev.mote.runtime.format.ModelValidator} reports).
     *
     * @param channelDimension the filter dimension of the output channels (0 for CONV_2D, 3 for DEPTHWISE_CONV_2D)
     * @param channels         the number of output channels
     */
    static PerChannelQuantization prepare(NodeContext node, MicroTensor input, MicroTensor filter,
                                          MicroTensor output, int channelDimension, int channels,
                                          Activation activation) {
        return prepare(node, input, filter, output, channelDimension, channels, activation, Byte.MIN_VALUE,
                Byte.MAX_VALUE);
    }

    /**
     * As {@link #prepare(NodeContext, MicroTensor, MicroTensor, MicroTensor, int, int, Activation)}, with the
     * output type's range {@code [qmin, qmax]} for the activation clamp (int16 for the 16x8 kernels).
     */
    static PerChannelQuantization prepare(NodeContext node, MicroTensor input, MicroTensor filter,
                                          MicroTensor output, int channelDimension, int channels,
                                          Activation activation, int qmin, int qmax) {
        TensorChecks.requirePerTensorQuantizationOrZeroScale(node, input, "input");
        TensorChecks.requirePerTensorQuantization(node, output, "output");
        Quantization fq = filter.quantization();
        if (!fq.isQuantized()) {
            throw node.fail("filter.quantization", "int8 filter needs scales and zero points");
        }
        int scales = fq.channelCount();
        if (scales != 1 && scales != channels) {
            throw node.fail("filter.quantization.scale", "has " + scales + " scales, expected 1 or one per output "
                    + "channel (" + channels + ")");
        }
        if (scales > 1 && fq.quantizedDimension() != channelDimension) {
            throw node.fail("filter.quantization.quantized_dimension", "is " + fq.quantizedDimension()
                    + ", per-channel weights of " + node.op() + " must be quantized along dimension "
                    + channelDimension);
        }
        long[] zeroPoints = fq.zeroPoints();
        if (zeroPoints.length == 0) {
            // TFLM reads a quantization without zero points as no quantization at all, and refuses the filter.
            throw node.fail("filter.quantization.zero_point", "has no values for " + scales + " scales (TFLM reads "
                    + "the filter as not quantized); give one zero point (0) per scale");
        }
        for (int c = 0; c < zeroPoints.length; c++) {
            if (zeroPoints[c] != 0) {
                node.warn(ModelWarning.Kind.QUANTIZATION, "filter.quantization.zero_point", "value "
                        + zeroPoints[c] + " at channel " + c + " is not 0; int8 weights are symmetric and TFLM's "
                        + node.op() + " ignores the filter zero points, and so does Mote: the weights are read as if "
                        + "their zero point were 0");
                break;
            }
        }
        double inputScale = input.scale();
        double outputScale = output.scale();
        int[] multipliers = new int[channels];
        int[] shifts = new int[channels];
        for (int c = 0; c < channels; c++) {
            double filterScale = fq.scale(scales > 1 ? c : 0);
            QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(inputScale * filterScale / outputScale);
            multipliers[c] = m.multiplier();
            shifts[c] = m.shift();
        }
        QuantizedMath.IntRange range = QuantizedMath.activationRange(activation, output.scale(), output.zeroPoint(),
                qmin, qmax);
        return new PerChannelQuantization(multipliers, shifts, -input.zeroPoint(), output.zeroPoint(), range.min(),
                range.max());
    }

    /** A copy of the per-channel Q31 multipliers. */
    int[] multipliers() {
        return multipliers.clone();
    }

    /** A copy of the per-channel shifts (positive = left). */
    int[] shifts() {
        return shifts.clone();
    }

    int multiplier(int channel) {
        return multipliers[channel];
    }

    int shift(int channel) {
        return shifts[channel];
    }

    /** {@code -inputZeroPoint}, added to every input value. */
    int inputOffset() {
        return inputOffset;
    }

    /** {@code outputZeroPoint}, added after requantization. */
    int outputOffset() {
        return outputOffset;
    }

    int activationMin() {
        return activationMin;
    }

    int activationMax() {
        return activationMax;
    }
}
