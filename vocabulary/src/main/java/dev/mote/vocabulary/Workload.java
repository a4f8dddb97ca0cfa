package dev.mote.vocabulary;

import java.util.List;
import java.util.OptionalLong;

/**
 * How many multiply-accumulates (MACs) one TFLite operator does in one invocation: the one rule the DSL summary,
 * {@code mote inspect} and the HTML report count with, so a layer and the operator it becomes show the same number.
 *
 * <p>Counted: {@code CONV_2D} (output elements × kernel height × kernel width × input channels per group),
 * {@code DEPTHWISE_CONV_2D} (output elements × kernel height × kernel width), {@code FULLY_CONNECTED} (output
 * elements × input depth), {@code TRANSPOSE_CONV} (input elements × output channels × kernel height × kernel width)
 * and element-wise {@code MUL} (one per output element). Operators that only move, compare, add or look up values
 * (RESHAPE, pooling, ADD, activations, SOFTMAX, QUANTIZE, ...) do no MACs and count 0. Operators that multiply by
 * weights in a way this rule does not model yet (LSTM, SVDF, BATCH_MATMUL, ...) give an empty result, so a total can
 * say it is incomplete rather than under-count.
 *
 * <pre>{@code
 * // a 3x3 convolution from 8 to 16 channels on a 32x32 output
 * OptionalLong macs = Workload.macs(BuiltinOperator.CONV_2D,
 *         List.of(new int[] {1, 32, 32, 8}, new int[] {16, 3, 3, 8}, new int[] {16}), new int[] {1, 32, 32, 16});
 * // macs.getAsLong() == 1,179,648
 * }</pre>
 */
public final class Workload {
    private Workload() {
    }

    /**
     * The MACs of one invocation of {@code op}.
     *
     * @param op           the builtin operator
     * @param inputShapes  the shapes of its inputs in operand order ({@code null} for an absent optional operand)
     * @param outputShape  the shape of its first output
     * @return the count, or empty when {@code op} multiplies by weights in a way this rule does not model
     */
    public static OptionalLong macs(BuiltinOperator op, List<int[]> inputShapes, int[] outputShape) {
        switch (op) {
            case CONV_2D: {
                int[] filter = operand(inputShapes, 1);
                return filter == null || filter.length != 4 ? OptionalLong.empty()
                        : OptionalLong.of(product(outputShape, filter[1], filter[2], filter[3]));
            }
            case DEPTHWISE_CONV_2D: {
                int[] filter = operand(inputShapes, 1);
                return filter == null || filter.length != 4 ? OptionalLong.empty()
                        : OptionalLong.of(product(outputShape, filter[1], filter[2]));
            }
            case FULLY_CONNECTED: {
                int[] weights = operand(inputShapes, 1);
                return weights == null || weights.length != 2 ? OptionalLong.empty()
                        : OptionalLong.of(product(outputShape, weights[1]));
            }
            case TRANSPOSE_CONV: {
                int[] filter = operand(inputShapes, 1);
                int[] input = operand(inputShapes, 2);
                return filter == null || input == null || filter.length != 4 ? OptionalLong.empty()
                        : OptionalLong.of(product(input, filter[0], filter[1], filter[2]));
            }
            case MUL:
                return OptionalLong.of(product(outputShape));
            case LSTM:
            case UNIDIRECTIONAL_SEQUENCE_LSTM:
            case BIDIRECTIONAL_SEQUENCE_LSTM:
            case RNN:
            case UNIDIRECTIONAL_SEQUENCE_RNN:
            case BIDIRECTIONAL_SEQUENCE_RNN:
            case SVDF:
            case BATCH_MATMUL:
            case CUSTOM:
            case CALL:
            case WHILE:
            case IF:
                return OptionalLong.empty();
            default:
                return OptionalLong.of(0);
        }
    }

    /**
     * The sum of per-operator counts, saturating at {@link Long#MAX_VALUE}; empty (not counted) entries are left
     * out, so a caller with any says the total is incomplete.
     */
    public static long total(List<OptionalLong> macs) {
        long sum = 0;
        for (OptionalLong n : macs) {
            long v = n.orElse(0);
            sum = v > Long.MAX_VALUE - sum ? Long.MAX_VALUE : sum + v;
        }
        return sum;
    }

    private static int[] operand(List<int[]> shapes, int index) {
        return index < shapes.size() ? shapes.get(index) : null;
    }

    /** The product of the shape's dimensions and the factors, saturating at {@link Long#MAX_VALUE}. */
    private static long product(int[] shape, int... factors) {
        long n = 1;
        for (int d : shape) {
            n = times(n, d);
        }
        for (int f : factors) {
            n = times(n, f);
        }
        return n;
    }

    private static long times(long a, int b) {
        if (b <= 0 || a == 0) {
            return 0;
        }
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
