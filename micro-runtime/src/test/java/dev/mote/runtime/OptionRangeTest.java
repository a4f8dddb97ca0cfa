package dev.mote.runtime;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operator options out of range are refused at {@code allocateTensors()} with an {@link InvalidModelException} that
 * names the operator index, the op and the options field: every model here has two operators of the same op, the
 * first valid and the second with one bad field, so the message must say "operator 1 (OP): field: ...". Cases whose
 * op has no kernel yet are skipped (they run as kernels land).
 */
class OptionRangeTest {
    private static final Quantization Q_IN = Quantization.perTensor(0.05f, -3);
    private static final Quantization Q_OUT = Quantization.perTensor(0.08f, 5);
    private static final int SAME = 0;
    private static final int VALID = 1;

    static Stream<Arguments> cases() {
        return Stream.of(
                conv("stride_w", "CONV_2D stride_w 0", new BuiltinOptions.Conv2D(SAME, 0, 1, 0, 1, 1)),
                conv("stride_h", "CONV_2D stride_h -1", new BuiltinOptions.Conv2D(SAME, 1, -1, 0, 1, 1)),
                conv("padding", "CONV_2D padding 2 (unknown)", new BuiltinOptions.Conv2D(2, 1, 1, 0, 1, 1)),
                conv("padding", "CONV_2D padding 255 (unknown)", new BuiltinOptions.Conv2D(255, 1, 1, 0, 1, 1)),
                conv("fused_activation_function", "CONV_2D activation 6 (unknown)",
                        new BuiltinOptions.Conv2D(SAME, 1, 1, 6, 1, 1)),
                conv("fused_activation_function", "CONV_2D activation 200 (unknown)",
                        new BuiltinOptions.Conv2D(SAME, 1, 1, 200, 1, 1)),
                conv("dilation_w_factor", "CONV_2D dilation_w 0", new BuiltinOptions.Conv2D(SAME, 1, 1, 0, 0, 1)),
                depthwise("depth_multiplier", "DEPTHWISE_CONV_2D multiplier 1 with 3 input and 6 output channels", 1,
                        6, new BuiltinOptions.DepthwiseConv2D(SAME, 1, 1, 1, 0, 1, 1)),
                depthwise("depth_multiplier", "DEPTHWISE_CONV_2D multiplier 0", 0, 3,
                        new BuiltinOptions.DepthwiseConv2D(SAME, 1, 1, 0, 0, 1, 1)),
                depthwise("stride_w", "DEPTHWISE_CONV_2D stride_w 0", 1, 3,
                        new BuiltinOptions.DepthwiseConv2D(SAME, 0, 1, 1, 0, 1, 1)),
                depthwise("padding", "DEPTHWISE_CONV_2D padding 3 (unknown)", 1, 3,
                        new BuiltinOptions.DepthwiseConv2D(3, 1, 1, 1, 0, 1, 1)),
                depthwise("fused_activation_function", "DEPTHWISE_CONV_2D activation 7 (unknown)", 1, 3,
                        new BuiltinOptions.DepthwiseConv2D(SAME, 1, 1, 1, 7, 1, 1)),
                pool(BuiltinOperator.MAX_POOL_2D, "stride_h", "MAX_POOL_2D stride_h 0",
                        new BuiltinOptions.Pool2D(SAME, 1, 0, 1, 1, 0)),
                pool(BuiltinOperator.MAX_POOL_2D, "filter_width", "MAX_POOL_2D filter_width 0",
                        new BuiltinOptions.Pool2D(SAME, 1, 1, 0, 1, 0)),
                pool(BuiltinOperator.AVERAGE_POOL_2D, "padding", "AVERAGE_POOL_2D padding 9 (unknown)",
                        new BuiltinOptions.Pool2D(9, 1, 1, 1, 1, 0)),
                pool(BuiltinOperator.AVERAGE_POOL_2D, "fused_activation_function",
                        "AVERAGE_POOL_2D activation 8 (unknown)", new BuiltinOptions.Pool2D(SAME, 1, 1, 1, 1, 8)),
                fullyConnected("fused_activation_function", "FULLY_CONNECTED activation 6 (unknown)",
                        new BuiltinOptions.FullyConnected(6, 0, false, false)),
                elementwise(BuiltinOperator.ADD, "fused_activation_function", "ADD activation 9 (unknown)",
                        new BuiltinOptions.Add(0, false), new BuiltinOptions.Add(9, false)),
                elementwise(BuiltinOperator.SUB, "fused_activation_function", "SUB activation 6 (unknown)",
                        new BuiltinOptions.Sub(0, false), new BuiltinOptions.Sub(6, false)),
                elementwise(BuiltinOperator.MUL, "fused_activation_function", "MUL activation 255 (unknown)",
                        new BuiltinOptions.Mul(0), new BuiltinOptions.Mul(255)),
                unary(BuiltinOperator.SOFTMAX, "beta", "SOFTMAX beta NaN", new BuiltinOptions.Softmax(1f),
                        new BuiltinOptions.Softmax(Float.NaN), Quantization.perTensor(1f / 256, -128)),
                unary(BuiltinOperator.LEAKY_RELU, "alpha", "LEAKY_RELU alpha infinite",
                        new BuiltinOptions.LeakyRelu(0.2f), new BuiltinOptions.LeakyRelu(Float.POSITIVE_INFINITY), Q_OUT),
                unary(BuiltinOperator.SQUEEZE, "squeeze_dims", "SQUEEZE squeeze_dims [5] on a rank-2 tensor",
                        new BuiltinOptions.Squeeze(new int[0]), new BuiltinOptions.Squeeze(new int[] {5}), Q_IN),
                concatenation("fused_activation_function", "CONCATENATION activation 7 (unknown)",
                        new BuiltinOptions.Concatenation(1, 7)),
                concatenation("axis", "CONCATENATION axis 5 on rank-2 tensors", new BuiltinOptions.Concatenation(5, 0)),
                // TFLM ignores ellipsis_mask and FULLY_CONNECTED's weights_format: Mote warns (QuantizationRefusalsTflmTest)
                stridedSlice("offset", "STRIDED_SLICE offset true", new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, true)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void outOfRangeOptionsAreRefusedNamingOperatorAndField(BuiltinOperator op, String title, String field,
                                                          byte[] model) {
        Assumptions.assumeTrue(OpResolver.allBuiltins().registered().contains(op), op + " has no kernel yet");
        MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(), 64 << 10);
        InvalidModelException e = assertThrows(InvalidModelException.class, interpreter::allocateTensors, title);
        assertTrue(e.getMessage().startsWith("operator 1 (" + op + "): " + field), title + ": " + e.getMessage());
    }

    private static Arguments arguments(BuiltinOperator op, String title, String field, byte[] model) {
        return Arguments.of(op, title, field, model);
    }

    /** Operator 0 maps tensor 0 to 1 with {@code good}, operator 1 maps 1 to 2 with {@code bad}; same shapes. */
    private static byte[] chain(BuiltinOperator op, int version, int[] shape, TensorType type, Quantization outQ,
                                BuiltinOptions good, BuiltinOptions bad, Function<ModelBuilder, int[]> extraInputs) {
        ModelBuilder b = new ModelBuilder();
        int a = b.addInput("a", type, shape, Q_IN);
        int m = b.addTensor("b", type, shape, outQ);
        int c = b.addTensor("c", type, shape, outQ);
        int[] extra = extraInputs.apply(b);
        b.addOperator(op, version, good, concat(new int[] {a}, extra), new int[] {m});
        b.addOperator(op, version, bad, concat(new int[] {m}, extra), new int[] {c});
        b.addOutput(c);
        return b.toBytes();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Quantization perChannel(int channels, int axis) {
        float[] scales = new float[channels];
        java.util.Arrays.fill(scales, 0.02f);
        return Quantization.perChannel(scales, new long[channels], axis);
    }

    private static Arguments conv(String field, String title, BuiltinOptions bad) {
        byte[] model = chain(BuiltinOperator.CONV_2D, 3, new int[] {1, 5, 6, 3}, TensorType.INT8, Q_IN,
                new BuiltinOptions.Conv2D(SAME, 1, 1, 0, 1, 1), bad, b -> new int[] {
                        b.addConstant("filter", TensorType.INT8, new int[] {3, 3, 3, 3}, new byte[81], perChannel(3, 0)),
                        b.addInt32Constant("bias", new int[] {3}, new int[3], perChannel(3, 0))});
        return arguments(BuiltinOperator.CONV_2D, title, field, model);
    }

    private static Arguments depthwise(String field, String title, int multiplier, int outChannels,
                                       BuiltinOptions bad) {
        // operator 0 keeps 3 channels; operator 1 has a filter with outChannels (its own constant)
        ModelBuilder b = new ModelBuilder();
        int a = b.addInput("a", TensorType.INT8, new int[] {1, 4, 5, 3}, Q_IN);
        int m = b.addTensor("b", TensorType.INT8, new int[] {1, 4, 5, 3}, Q_IN);
        int c = b.addTensor("c", TensorType.INT8, new int[] {1, 4, 5, outChannels}, Q_IN);
        int f0 = b.addConstant("filter0", TensorType.INT8, new int[] {1, 3, 3, 3}, new byte[27], perChannel(3, 3));
        int b0 = b.addInt32Constant("bias0", new int[] {3}, new int[3], perChannel(3, 0));
        int f1 = b.addConstant("filter1", TensorType.INT8, new int[] {1, 3, 3, outChannels}, new byte[9 * outChannels],
                perChannel(outChannels, 3));
        int b1 = b.addInt32Constant("bias1", new int[] {outChannels}, new int[outChannels],
                perChannel(outChannels, 0));
        b.addOperator(BuiltinOperator.DEPTHWISE_CONV_2D, 3, new BuiltinOptions.DepthwiseConv2D(SAME, 1, 1, 1, 0, 1, 1),
                new int[] {a, f0, b0}, new int[] {m});
        b.addOperator(BuiltinOperator.DEPTHWISE_CONV_2D, 3, bad, new int[] {m, f1, b1}, new int[] {c});
        b.addOutput(c);
        return arguments(BuiltinOperator.DEPTHWISE_CONV_2D, title + " (multiplier " + multiplier + ")", field,
                b.toBytes());
    }

    private static Arguments pool(BuiltinOperator op, String field, String title, BuiltinOptions bad) {
        byte[] model = chain(op, 2, new int[] {1, 4, 4, 2}, TensorType.INT8, Q_IN,
                new BuiltinOptions.Pool2D(SAME, 1, 1, 1, 1, 0), bad, b -> new int[0]);
        return arguments(op, title, field, model);
    }

    private static Arguments fullyConnected(String field, String title, BuiltinOptions bad) {
        byte[] model = chain(BuiltinOperator.FULLY_CONNECTED, 4, new int[] {1, 4}, TensorType.INT8, Q_IN,
                new BuiltinOptions.FullyConnected(0, 0, false, false), bad, b -> new int[] {
                        b.addConstant("w", TensorType.INT8, new int[] {4, 4}, new byte[16],
                                Quantization.perTensor(0.02f, 0)), -1});
        return arguments(BuiltinOperator.FULLY_CONNECTED, title, field, model);
    }

    private static Arguments elementwise(BuiltinOperator op, String field, String title, BuiltinOptions good,
                                         BuiltinOptions bad) {
        byte[] model = chain(op, 2, new int[] {1, 3, 4}, TensorType.INT8, Q_OUT, good, bad, b -> new int[] {
                b.addConstant("y", TensorType.INT8, new int[] {1, 3, 4}, new byte[12], Q_IN)});
        return arguments(op, title, field, model);
    }

    private static Arguments unary(BuiltinOperator op, String field, String title, BuiltinOptions good,
                                   BuiltinOptions bad, Quantization outQ) {
        // the first operator's output quantization must suit the second's input too: SOFTMAX input can be anything
        return arguments(op, title, field, chain(op, 1, new int[] {2, 5}, TensorType.INT8, outQ, good, bad,
                b -> new int[0]));
    }

    private static Arguments concatenation(String field, String title, BuiltinOptions bad) {
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", TensorType.INT8, new int[] {2, 3}, Q_IN);
        int y = b.addInput("y", TensorType.INT8, new int[] {2, 2}, Q_IN);
        int m = b.addTensor("xy", TensorType.INT8, new int[] {2, 5}, Q_IN);
        int c = b.addTensor("xyy", TensorType.INT8, new int[] {2, 7}, Q_IN);
        b.addOperator(BuiltinOperator.CONCATENATION, 1, new BuiltinOptions.Concatenation(1, 0), new int[] {x, y},
                new int[] {m});
        b.addOperator(BuiltinOperator.CONCATENATION, 1, bad, new int[] {m, y}, new int[] {c});
        b.addOutput(c);
        return arguments(BuiltinOperator.CONCATENATION, title, field, b.toBytes());
    }

    private static Arguments stridedSlice(String field, String title, BuiltinOptions bad) {
        byte[] model = chain(BuiltinOperator.STRIDED_SLICE, 2, new int[] {4, 6}, TensorType.INT8, Q_IN,
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false), bad, b -> new int[] {
                        b.addInt32Constant("begin", new int[] {2}, new int[] {0, 0}, Quantization.NONE),
                        b.addInt32Constant("end", new int[] {2}, new int[] {4, 6}, Quantization.NONE),
                        b.addInt32Constant("strides", new int[] {2}, new int[] {1, 1}, Quantization.NONE)});
        return arguments(BuiltinOperator.STRIDED_SLICE, title, field, model);
    }
}
