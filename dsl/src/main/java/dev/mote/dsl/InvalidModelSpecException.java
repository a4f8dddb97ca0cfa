package dev.mote.dsl;

import dev.mote.vocabulary.MoteException;

/**
 * A model declaration that TFLM could not run in int8. Thrown by {@code build()} (and
 * {@link ModelSpec#of}); the message names the layer (index and name), the rule and what to change:
 *
 * <pre>
 * layer 3 'conv2d_1' (Conv2D): kernel 5x5 is larger than its input 4x4 with VALID padding, so the output would
 * collapse to zero [KERNEL_LARGER_THAN_INPUT]; use padding(Padding.SAME), a smaller kernel or zeroPad2d(..) first
 * </pre>
 */
public final class InvalidModelSpecException extends MoteException {

    /** The rules a declaration can break. */
    public enum Rule {
        /** A size, count, stride or dilation is zero or negative. */
        NON_POSITIVE_SIZE,
        /** A rate, slope, epsilon, momentum or padding amount is outside its range. */
        OUT_OF_RANGE,
        /** A kernel or pooling window does not fit its (padded) input: the output would collapse to zero. */
        KERNEL_LARGER_THAN_INPUT,
        /** Stride and dilation above 1 together (TensorFlow and TFLite converters refuse it). */
        UNSUPPORTED_STRIDE_DILATION,
        /** A layer is applied to a tensor of the wrong rank (e.g. dense on an image). */
        INPUT_RANK,
        /** Branches or a reshape whose shapes do not agree. */
        SHAPE_MISMATCH,
        /** Softmax anywhere but on the 1-D output of the last layer. */
        SOFTMAX_PLACEMENT,
        /** Batch normalization not directly after (and the only consumer of) conv2d, depthwiseConv2d or dense. */
        BATCH_NORM_PLACEMENT,
        /** A tensor, weight count, accumulator or the whole model beyond what int32 sizes and sums can hold. */
        INT32_OVERFLOW,
        /** Something TFLM has no int8 kernel or support for (op, tensor rank, number of inputs). */
        UNSUPPORTED_BY_TFLM,
        /** Graph wiring: input position, inputs of a layer, unused layers, names. */
        GRAPH_STRUCTURE
    }

    private final int layerIndex;
    private final String layerName;
    private final Rule rule;
    private final String problem;

    InvalidModelSpecException(int layerIndex, String layerName, String layerType, Rule rule, String problem,
                              String advice) {
        super(where(layerIndex, layerName, layerType) + problem + " [" + rule + "]"
                + (advice == null || advice.isEmpty() ? "" : "; " + advice));
        this.layerIndex = layerIndex;
        this.layerName = layerName;
        this.rule = rule;
        this.problem = problem;
    }

    private static String where(int index, String name, String type) {
        if (index < 0) {
            return "model '" + name + "': ";
        }
        return "layer " + index + " '" + name + "'" + (type == null ? "" : " (" + type + ")") + ": ";
    }

    /** The index of the offending layer in the model's node list, or -1 for a problem of the whole model. */
    public int layerIndex() {
        return layerIndex;
    }

    /** The name of the offending layer (the model's name for a problem of the whole model). */
    public String layerName() {
        return layerName;
    }

    /** The rule that was broken. */
    public Rule rule() {
        return rule;
    }

    /** What is wrong, without the layer, the rule and the advice (e.g. "reads node 4, which does not come before it"). */
    public String problem() {
        return problem;
    }
}
