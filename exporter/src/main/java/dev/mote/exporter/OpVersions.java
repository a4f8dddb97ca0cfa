package dev.mote.exporter;

import dev.mote.vocabulary.BuiltinOperator;

import java.util.Map;

/**
 * Operator versions as TFLite's {@code GetBuiltinOperatorVersion} assigns them (and the TF converter writes them)
 * for the operators Mote exports, and the {@code min_runtime_version} each version implies
 * ({@code FindMinimumRuntimeVersionForOp}).
 */
final class OpVersions {
    private OpVersions() {
    }

    /**
     * The version of {@code op} with int8 or float32 tensors; {@code dilated} is true for a DEPTHWISE_CONV_2D with a
     * dilation factor other than 1.
     */
    static int version(BuiltinOperator op, Precision precision, boolean dilated) {
        return version(op, precision, dilated, false);
    }

    /**
     * The version of {@code op} at {@code precision}; {@code keepNumDims} is true for a FULLY_CONNECTED that keeps
     * its input's rank (a dense per step). For {@link Precision#INT16X8} these are {@code GetBuiltinOperatorVersion}'s
     * ({@code lite/tools/versioning/op_version.cc}) for int16 activations with int8 weights, which the converter
     * writes through {@code UpdateOpVersion}: int16 CONCATENATION, SOFTMAX, MEAN, TANH, LOGISTIC, MAX/AVERAGE_POOL_2D,
     * PAD, RELU, RELU6 and DEQUANTIZE (int16 input) 3, ADD 3 (quantized inputs, {@code pot_scale_int16} false),
     * LEAKY_RELU and QUANTIZE (int16 output) 2; CONV_2D and DEPTHWISE_CONV_2D match only their int16-filter rows
     * (versions 4 and 5), so a 16x8 one with int8 filter is version 1 (2 when dilated, as float); FULLY_CONNECTED's
     * version 7 also needs int16 weights, so 16x8 FC is 1; a FULLY_CONNECTED with {@code keep_num_dims} is 5 at every
     * precision (that row comes before the int8 one); STRIDED_SLICE and
     * RESHAPE have no int16 row: 1.
     */
    static int version(BuiltinOperator op, Precision precision, boolean dilated, boolean keepNumDims) {
        return version(op, precision, dilated, keepNumDims, false);
    }

    /**
     * Like {@link #version(BuiltinOperator, Precision, boolean, boolean)}; {@code bias} is true for a TRANSPOSE_CONV
     * with its 4th (bias) input. {@code op_version.cc} numbers TRANSPOSE_CONV 5 for int16 input with
     * {@code quantized_bias_type}, 4 with a fused activation, 3 with a bias input, 2 for an int8 filter, else 1; Mote
     * writes neither a fused activation nor {@code quantized_bias_type}, so: 3 with bias at every precision, without
     * bias 2 for int8 and 16x8 (int8 filter) and 1 for float32.
     */
    static int version(BuiltinOperator op, Precision precision, boolean dilated, boolean keepNumDims, boolean bias) {
        if (op == BuiltinOperator.FULLY_CONNECTED && keepNumDims) {
            return 5; // op_version.cc tests keep_num_dims before the int8 row, at every precision
        }
        if (op == BuiltinOperator.TRANSPOSE_CONV) {
            return bias ? 3 : precision == Precision.FLOAT32 ? 1 : 2;
        }
        if (precision == Precision.FLOAT32) {
            return op == BuiltinOperator.DEPTHWISE_CONV_2D && dilated ? 2 : 1;
        }
        if (precision == Precision.INT16X8) {
            return switch (op) {
                case FULLY_CONNECTED -> 1;
                case CONV_2D -> 1;
                case DEPTHWISE_CONV_2D -> dilated ? 2 : 1;
                case AVERAGE_POOL_2D, MAX_POOL_2D, MEAN, PAD, ADD, CONCATENATION, SOFTMAX, LOGISTIC, TANH, RELU, RELU6,
                        DEQUANTIZE -> 3;
                case LEAKY_RELU, QUANTIZE -> 2;
                case RESHAPE, STRIDED_SLICE -> 1;
                default -> throw new IllegalArgumentException("no 16x8 version rule for " + op);
            };
        }
        return switch (op) {
            case FULLY_CONNECTED -> 4;
            case CONV_2D, DEPTHWISE_CONV_2D -> 3;
            case AVERAGE_POOL_2D, MAX_POOL_2D, MEAN, PAD, ADD, CONCATENATION, SOFTMAX, LOGISTIC, TANH, RELU, RELU6,
                    DEQUANTIZE -> 2;
            case STRIDED_SLICE -> 2;
            // integer (not hybrid) and without diagonal recurrent weights: version 1
            case RESHAPE, LEAKY_RELU, HARD_SWISH, QUANTIZE, UNIDIRECTIONAL_SEQUENCE_LSTM -> 1;
            default -> throw new IllegalArgumentException("no version rule for " + op);
        };
    }

    private static final Map<String, String> RUNTIME = Map.ofEntries(
            // runtime_version.cc
            Map.entry("TRANSPOSE_CONV/1", "1.9.0"), Map.entry("TRANSPOSE_CONV/2", "2.2.0"),
            Map.entry("TRANSPOSE_CONV/3", "2.3.0"),
            Map.entry("FULLY_CONNECTED/1", "1.5.0"), Map.entry("FULLY_CONNECTED/4", "1.14.0"),
            Map.entry("FULLY_CONNECTED/5", "2.0.0"),
            // the int16 versions of 16x8 mode (lite/tools/versioning/runtime_version.cc)
            Map.entry("AVERAGE_POOL_2D/3", "2.3.0"), Map.entry("MAX_POOL_2D/3", "2.3.0"),
            Map.entry("MEAN/3", "2.4.0"), Map.entry("PAD/3", "2.4.0"), Map.entry("ADD/3", "2.4.0"),
            Map.entry("CONCATENATION/3", "2.3.0"), Map.entry("SOFTMAX/3", "2.3.0"),
            Map.entry("LOGISTIC/3", "2.3.0"), Map.entry("TANH/3", "2.3.0"), Map.entry("RELU/3", "2.5.0"),
            Map.entry("RELU6/3", "2.5.0"), Map.entry("LEAKY_RELU/2", "2.3.0"), Map.entry("QUANTIZE/2", "1.15.0"),
            Map.entry("DEQUANTIZE/3", "1.15.0"),
            Map.entry("CONV_2D/1", "1.5.0"), Map.entry("CONV_2D/3", "1.14.0"),
            Map.entry("DEPTHWISE_CONV_2D/1", "1.5.0"), Map.entry("DEPTHWISE_CONV_2D/2", "1.12.0"),
            Map.entry("DEPTHWISE_CONV_2D/3", "1.14.0"),
            Map.entry("AVERAGE_POOL_2D/1", "1.5.0"), Map.entry("AVERAGE_POOL_2D/2", "1.14.0"),
            Map.entry("MAX_POOL_2D/1", "1.5.0"), Map.entry("MAX_POOL_2D/2", "1.14.0"),
            Map.entry("MEAN/1", "1.6.0"), Map.entry("MEAN/2", "1.14.0"),
            Map.entry("RESHAPE/1", "1.5.0"),
            Map.entry("PAD/1", "1.5.0"), Map.entry("PAD/2", "1.14.0"),
            Map.entry("ADD/1", "1.5.0"), Map.entry("ADD/2", "1.14.0"),
            Map.entry("CONCATENATION/1", "1.5.0"), Map.entry("CONCATENATION/2", "1.14.0"),
            Map.entry("SOFTMAX/1", "1.5.0"), Map.entry("SOFTMAX/2", "1.14.0"),
            Map.entry("LOGISTIC/1", "1.14.0"), Map.entry("LOGISTIC/2", "1.14.0"),
            Map.entry("TANH/1", "1.14.0"), Map.entry("TANH/2", "1.14.0"),
            Map.entry("RELU/1", "1.5.0"), Map.entry("RELU/2", "2.1.0"),
            Map.entry("RELU6/1", "1.5.0"), Map.entry("RELU6/2", "1.14.0"),
            Map.entry("LEAKY_RELU/1", "1.13.1"),
            Map.entry("HARD_SWISH/1", "1.15.0"),
            Map.entry("QUANTIZE/1", "1.14.0"),
            Map.entry("STRIDED_SLICE/1", "1.6.0"), Map.entry("STRIDED_SLICE/2", "1.14.0"),
            Map.entry("UNIDIRECTIONAL_SEQUENCE_LSTM/1", "1.13.1"),
            Map.entry("DEQUANTIZE/1", "1.13.1"), Map.entry("DEQUANTIZE/2", "1.14.0"));

    /** The TFLite runtime version that first ran {@code op} at {@code version}, or {@code null} if unknown. */
    static String minimumRuntime(BuiltinOperator op, int version) {
        return RUNTIME.get(op.name() + "/" + version);
    }

    /** True if runtime version {@code a} is older than {@code b} (dotted numbers compared numerically). */
    static boolean older(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int u = i < x.length ? Integer.parseInt(x[i]) : 0;
            int v = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (u != v) {
                return u < v;
            }
        }
        return false;
    }
}
