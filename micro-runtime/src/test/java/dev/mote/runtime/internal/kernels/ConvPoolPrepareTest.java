package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.ModelRuns;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/**
 * Every prepare-time refusal of CONV_2D, DEPTHWISE_CONV_2D, MAX_POOL_2D and AVERAGE_POOL_2D: the op under test is
 * operator 1 (after an identity MAX_POOL_2D) unless its input itself is broken, and the error must name the operator
 * index, the op and the field.
 */
class ConvPoolPrepareTest {

    /** A valid single-op node description that each test breaks in one way. */
    static final class Spec {
        BuiltinOperator op;
        TensorType type = TensorType.INT8;
        TensorType filterType;
        TensorType biasType;
        TensorType outputType;
        int[] inputShape = {1, 6, 6, 4};
        int[] filterShape;
        int[] biasShape;
        int[] outputShape;
        float[] filterScales;
        long[] filterZeroPoints;
        int quantizedDimension;
        Quantization inputQuantization = Quantization.perTensor(0.05f, 3);
        Quantization outputQuantization = Quantization.perTensor(0.1f, -5);
        BuiltinOptions options;
        boolean bias = true;
        /** Whether an identity MAX_POOL_2D runs first (the op under test is then operator 1, else 0). */
        boolean prefix = true;

        static Spec conv() {
            Spec s = new Spec();
            s.op = BuiltinOperator.CONV_2D;
            s.filterShape = new int[] {4, 3, 3, 4};
            s.biasShape = new int[] {4};
            s.outputShape = new int[] {1, 6, 6, 4};
            s.filterScales = new float[] {0.01f, 0.02f, 0.03f, 0.04f};
            s.filterZeroPoints = new long[4];
            s.quantizedDimension = 0;
            s.options = new BuiltinOptions.Conv2D(0, 1, 1, 0, 1, 1);
            return s;
        }

        static Spec depthwise() {
            Spec s = new Spec();
            s.op = BuiltinOperator.DEPTHWISE_CONV_2D;
            s.filterShape = new int[] {1, 3, 3, 8};
            s.biasShape = new int[] {8};
            s.outputShape = new int[] {1, 3, 3, 8};
            s.filterScales = new float[] {0.01f, 0.02f, 0.03f, 0.04f, 0.05f, 0.06f, 0.07f, 0.08f};
            s.filterZeroPoints = new long[8];
            s.quantizedDimension = 3;
            s.options = new BuiltinOptions.DepthwiseConv2D(0, 2, 2, 2, 0, 1, 1);
            return s;
        }

        static Spec pool(BuiltinOperator op) {
            Spec s = new Spec();
            s.op = op;
            s.outputShape = new int[] {1, 3, 3, 4};
            s.outputQuantization = s.inputQuantization;
            s.options = new BuiltinOptions.Pool2D(1, 2, 2, 2, 2, 0);
            return s;
        }

        boolean isPool() {
            return filterShape == null;
        }

        byte[] model() {
            ModelBuilder mb = new ModelBuilder();
            Quantization inQ = type == TensorType.FLOAT32 ? Quantization.NONE : inputQuantization;
            int in;
            if (prefix) {
                int source = mb.addInput("source", type, inputShape, inQ);
                in = mb.addTensor("input", type, inputShape, inQ);
                mb.addOperator(BuiltinOperator.MAX_POOL_2D, 2, new BuiltinOptions.Pool2D(1, 1, 1, 1, 1, 0),
                        new int[] {source}, new int[] {in});
            } else {
                in = mb.addInput("input", type, inputShape, inQ);
            }
            TensorType outType = outputType != null ? outputType : type;
            int out = mb.addTensor("output", outType, outputShape,
                    outType == TensorType.FLOAT32 ? Quantization.NONE : outputQuantization);
            int[] inputs = {in};
            if (!isPool()) {
                TensorType wType = filterType != null ? filterType : type;
                int elements = 1;
                for (int d : filterShape) {
                    elements *= d;
                }
                byte[] weights = new byte[elements * wType.bytesPerElement()];
                int w = mb.addConstant("filter", wType, filterShape, weights, wType == TensorType.FLOAT32
                        ? Quantization.NONE : Quantization.perChannel(filterScales, filterZeroPoints,
                        quantizedDimension));
                inputs = new int[] {in, w};
                if (bias) {
                    TensorType bType = biasType != null ? biasType : type == TensorType.INT8 ? TensorType.INT32 : type;
                    int n = 1;
                    for (int d : biasShape) {
                        n *= d;
                    }
                    int b = mb.addConstant("bias", bType, biasShape, new byte[n * bType.bytesPerElement()],
                            Quantization.NONE);
                    inputs = new int[] {in, w, b};
                }
            }
            mb.addOperator(op, 3, options, inputs, new int[] {out});
            mb.addOutput(out);
            return mb.toBytes();
        }
    }

    private static void assertRefused(Spec spec, Consumer<Spec> breakIt, String field) {
        breakIt.accept(spec);
        ModelRuns.assertRefused(spec.model(), spec.prefix ? 1 : 0, spec.op, field);
    }

    private static void assertAccepted(Spec spec) {
        byte[] model = spec.model();
        assertDoesNotThrow(() -> ModelRuns.allocated(model));
    }

    @Test
    void validBaseModelsAreAccepted() {
        assertAccepted(Spec.conv());
        assertAccepted(Spec.depthwise());
        assertAccepted(Spec.pool(BuiltinOperator.MAX_POOL_2D));
        assertAccepted(Spec.pool(BuiltinOperator.AVERAGE_POOL_2D));
        Spec noBias = Spec.conv();
        noBias.bias = false;
        assertAccepted(noBias);
        Spec perTensor = Spec.depthwise();
        perTensor.filterScales = new float[] {0.02f};
        perTensor.filterZeroPoints = new long[1];
        assertAccepted(perTensor);
        Spec grouped = Spec.conv();
        grouped.filterShape = new int[] {4, 3, 3, 2}; // two groups of two input channels
        assertAccepted(grouped);
    }

    // ---- options shared by all four ops (through ConvolutionGeometry and FusedActivation)

    @Test
    void refusesZeroAndNegativeStrides() {
        assertRefused(Spec.conv(), s -> s.options = new BuiltinOptions.Conv2D(0, 0, 1, 0, 1, 1), "stride_w");
        assertRefused(Spec.conv(), s -> s.options = new BuiltinOptions.Conv2D(0, 1, -2, 0, 1, 1), "stride_h");
        assertRefused(Spec.depthwise(), s -> s.options = new BuiltinOptions.DepthwiseConv2D(0, 2, 0, 2, 0, 1, 1),
                "stride_h");
        assertRefused(Spec.pool(BuiltinOperator.MAX_POOL_2D), s -> s.options = new BuiltinOptions.Pool2D(1, 0, 2, 2, 2,
                0), "stride_w");
        assertRefused(Spec.pool(BuiltinOperator.AVERAGE_POOL_2D), s -> s.options = new BuiltinOptions.Pool2D(1, 2, 0, 2,
                2, 0), "stride_h");
    }

    @Test
    void refusesZeroDilation() {
        assertRefused(Spec.conv(), s -> s.options = new BuiltinOptions.Conv2D(0, 1, 1, 0, 0, 1), "dilation_w_factor");
        assertRefused(Spec.conv(), s -> s.options = new BuiltinOptions.Conv2D(0, 1, 1, 0, 1, 0), "dilation_h_factor");
        assertRefused(Spec.depthwise(), s -> s.options = new BuiltinOptions.DepthwiseConv2D(0, 2, 2, 2, 0, 0, 1),
                "dilation_w_factor");
        assertRefused(Spec.depthwise(), s -> s.options = new BuiltinOptions.DepthwiseConv2D(0, 2, 2, 2, 0, 1, -1),
                "dilation_h_factor");
    }

    @Test
    void refusesHugeDilation() {
        assertRefused(Spec.conv(), s -> s.options = new BuiltinOptions.Conv2D(0, 1, 1, 0, 1 << 30, 1),
                "dilation_w_factor");
    }

    @Test
    void refusesUnknownPadding() {
        assertRefused(Spec.conv(), s -> s.options = new BuiltinOptions.Conv2D(2, 1, 1, 0, 1, 1), "padding");
        assertRefused(Spec.depthwise(), s -> s.options = new BuiltinOptions.DepthwiseConv2D(7, 2, 2, 2, 0, 1, 1),
                "padding");
        assertRefused(Spec.pool(BuiltinOperator.MAX_POOL_2D), s -> s.options = new BuiltinOptions.Pool2D(3, 2, 2, 2, 2,
                0), "padding");
        assertRefused(Spec.pool(BuiltinOperator.AVERAGE_POOL_2D), s -> s.options = new BuiltinOptions.Pool2D(255, 2, 2,
                2, 2, 0), "padding");
    }

    @Test
    void refusesUnknownOrUnsupportedFusedActivation() {
        assertRefused(Spec.conv(), s -> s.options = new BuiltinOptions.Conv2D(0, 1, 1, 6, 1, 1),
                "fused_activation_function");
        assertRefused(Spec.conv(), s -> s.options = new BuiltinOptions.Conv2D(0, 1, 1, 4, 1, 1),
                "fused_activation_function"); // TANH
        assertRefused(Spec.depthwise(), s -> s.options = new BuiltinOptions.DepthwiseConv2D(0, 2, 2, 2, 5, 1, 1),
                "fused_activation_function"); // SIGN_BIT
        assertRefused(Spec.pool(BuiltinOperator.MAX_POOL_2D), s -> s.options = new BuiltinOptions.Pool2D(1, 2, 2, 2, 2,
                9), "fused_activation_function");
        assertRefused(Spec.pool(BuiltinOperator.AVERAGE_POOL_2D), s -> s.options = new BuiltinOptions.Pool2D(1, 2, 2, 2,
                2, 4), "fused_activation_function");
    }

    @Test
    void refusesMissingOptions() {
        assertRefused(Spec.conv(), s -> s.options = BuiltinOptions.NONE, "builtin_options");
        assertRefused(Spec.depthwise(), s -> s.options = BuiltinOptions.NONE, "builtin_options");
        assertRefused(Spec.pool(BuiltinOperator.MAX_POOL_2D), s -> s.options = BuiltinOptions.NONE, "builtin_options");
        assertRefused(Spec.conv(), s -> s.options = new BuiltinOptions.Pool2D(1, 2, 2, 2, 2, 0), "builtin_options");
    }

    @Test
    void refusesOutputShapeThatDiffersFromTheWindowGeometry() {
        assertRefused(Spec.conv(), s -> s.outputShape = new int[] {1, 5, 6, 4}, "output");
        assertRefused(Spec.conv(), s -> s.outputShape = new int[] {2, 6, 6, 4}, "output");
        assertRefused(Spec.conv(), s -> s.outputShape = new int[] {1, 6, 6, 3}, "output");
        assertRefused(Spec.depthwise(), s -> s.outputShape = new int[] {1, 3, 2, 8}, "output");
        assertRefused(Spec.pool(BuiltinOperator.MAX_POOL_2D), s -> s.outputShape = new int[] {1, 3, 3, 5}, "output");
        assertRefused(Spec.pool(BuiltinOperator.AVERAGE_POOL_2D), s -> s.outputShape = new int[] {1, 2, 3, 4},
                "output");
    }

    @Test
    void refusesValidWindowLargerThanTheInput() {
        assertRefused(Spec.conv(), s -> {
            s.options = new BuiltinOptions.Conv2D(1, 1, 1, 0, 4, 1); // 3 taps dilated by 4 span 9 > 6 rows
            s.outputShape = new int[] {1, 1, 4, 4};
        }, "padding");
        assertRefused(Spec.pool(BuiltinOperator.MAX_POOL_2D), s -> s.options = new BuiltinOptions.Pool2D(1, 2, 2, 7, 2,
                0), "padding");
    }

    @Test
    void refusesInputsThatAreNotRank4() {
        assertRefused(Spec.conv(), s -> {
            s.prefix = false;
            s.inputShape = new int[] {6, 6, 4};
            s.outputShape = new int[] {6, 6, 4};
        }, "input");
        assertRefused(Spec.pool(BuiltinOperator.AVERAGE_POOL_2D), s -> {
            s.prefix = false;
            s.inputShape = new int[] {36, 4};
            s.outputShape = new int[] {9, 4};
        }, "input");
    }

    // ---- CONV_2D and DEPTHWISE_CONV_2D: filters, per-channel quantization, bias, types

    @Test
    void refusesFilterShapes() {
        assertRefused(Spec.conv(), s -> s.filterShape = new int[] {4, 3, 12}, "filter");
        assertRefused(Spec.conv(), s -> s.filterShape = new int[] {4, 3, 3, 3}, "filter"); // 3 does not divide 4
        assertRefused(Spec.conv(), s -> {
            s.filterShape = new int[] {6, 3, 3, 1};
            s.filterScales = new float[] {0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};
            s.filterZeroPoints = new long[6];
            s.biasShape = new int[] {6};
            s.outputShape = new int[] {1, 6, 6, 6};
        }, "filter"); // 6 output channels are not a multiple of 4 groups
        assertRefused(Spec.depthwise(), s -> {
            s.filterShape = new int[] {2, 3, 3, 8};
        }, "filter");
    }

    @Test
    void refusesPerChannelScaleCountsThatDoNotMatchTheOutputChannels() {
        assertRefused(Spec.conv(), s -> {
            s.filterShape = new int[] {4, 3, 3, 2}; // two groups; dimension 3 has 2 entries
            s.filterScales = new float[] {0.01f, 0.02f};
            s.filterZeroPoints = new long[2];
            s.quantizedDimension = 3;
        }, "filter.quantization.scale");
        assertRefused(Spec.depthwise(), s -> {
            s.filterScales = new float[] {0.01f, 0.02f, 0.03f};
            s.filterZeroPoints = new long[3];
            s.quantizedDimension = 1;
        }, "filter.quantization.scale");
    }

    @Test
    void refusesPerChannelScalesOnTheWrongDimension() {
        assertRefused(Spec.conv(), s -> s.quantizedDimension = 3, "filter.quantization.quantized_dimension");
        assertRefused(Spec.depthwise(), s -> {
            s.inputShape = new int[] {1, 8, 8, 8};
            s.filterShape = new int[] {1, 8, 3, 8};
            s.options = new BuiltinOptions.DepthwiseConv2D(0, 2, 2, 1, 0, 1, 1);
            s.outputShape = new int[] {1, 4, 4, 8};
            s.quantizedDimension = 1;
        }, "filter.quantization.quantized_dimension");
    }

    @Test
    void warnsOnNonZeroFilterZeroPoints() {
        // TFLM's int8 convolutions ignore the filter zero points and run such models (RefusalsTflmTest); so does Mote.
        Spec conv = Spec.conv();
        conv.filterZeroPoints = new long[] {0, 0, 3, 0};
        ModelRuns.assertRunsWithWarning(conv.model(), "filter.quantization.zero_point");
        Spec depthwise = Spec.depthwise();
        depthwise.filterScales = new float[] {0.02f};
        depthwise.filterZeroPoints = new long[] {-1};
        ModelRuns.assertRunsWithWarning(depthwise.model(), "filter.quantization.zero_point");
    }

    @Test
    void refusesDepthMultiplierThatDoesNotMatchTheShapes() {
        assertRefused(Spec.depthwise(), s -> s.options = new BuiltinOptions.DepthwiseConv2D(0, 2, 2, 0, 0, 1, 1),
                "depth_multiplier");
        assertRefused(Spec.depthwise(), s -> s.options = new BuiltinOptions.DepthwiseConv2D(0, 2, 2, 3, 0, 1, 1),
                "depth_multiplier");
        assertRefused(Spec.depthwise(), s -> s.options = new BuiltinOptions.DepthwiseConv2D(0, 2, 2, -2, 0, 1, 1),
                "depth_multiplier");
    }

    @Test
    void refusesBiasOfTheWrongLengthOrType() {
        assertRefused(Spec.conv(), s -> s.biasShape = new int[] {3}, "bias");
        assertRefused(Spec.depthwise(), s -> s.biasShape = new int[] {1, 9}, "bias");
        assertRefused(Spec.conv(), s -> s.biasType = TensorType.FLOAT32, "bias");
        assertRefused(Spec.depthwise(), s -> s.biasType = TensorType.INT64, "bias");
        assertRefused(Spec.conv(), s -> {
            s.type = TensorType.FLOAT32;
            s.biasType = TensorType.INT32;
        }, "bias");
    }

    @Test
    void refusesUnsupportedTypeCombinations() {
        assertRefused(Spec.conv(), s -> s.filterType = TensorType.FLOAT32, "filter"); // hybrid
        assertRefused(Spec.depthwise(), s -> {
            s.type = TensorType.FLOAT32;
            s.filterType = TensorType.INT8;
        }, "filter");
        assertRefused(Spec.conv(), s -> s.outputType = TensorType.FLOAT32, "output");
        // 16x8 (int16 input, int8 filter) runs; an int16 filter does not, as in TFLM
        assertRefused(Spec.depthwise(), s -> {
            s.prefix = false;
            s.type = TensorType.INT16;
            s.filterType = TensorType.INT16;
            s.biasType = TensorType.INT64;
        }, "filter");
        assertRefused(Spec.pool(BuiltinOperator.MAX_POOL_2D), s -> {
            s.prefix = false;
            s.type = TensorType.INT32;
        }, "input");
        assertRefused(Spec.pool(BuiltinOperator.AVERAGE_POOL_2D), s -> s.outputType = TensorType.FLOAT32, "output");
    }

    @Test
    void refusesInt8TensorsWithoutQuantization() {
        assertRefused(Spec.conv(), s -> {
            s.prefix = false;
            s.inputQuantization = Quantization.NONE;
        }, "input.quantization");
        assertRefused(Spec.depthwise(), s -> s.outputQuantization = Quantization.NONE, "output.quantization");
    }

    // ---- pooling

    @Test
    void refusesZeroFilterSizes() {
        assertRefused(Spec.pool(BuiltinOperator.MAX_POOL_2D), s -> s.options = new BuiltinOptions.Pool2D(1, 2, 2, 0, 2,
                0), "filter_width");
        assertRefused(Spec.pool(BuiltinOperator.AVERAGE_POOL_2D), s -> s.options = new BuiltinOptions.Pool2D(1, 2, 2, 2,
                -1, 0), "filter_height");
    }

    @Test
    void refusesInt8PoolingThatWouldRescale() {
        assertRefused(Spec.pool(BuiltinOperator.AVERAGE_POOL_2D),
                s -> s.outputQuantization = Quantization.perTensor(0.06f, 3), "output.quantization");
        assertRefused(Spec.pool(BuiltinOperator.MAX_POOL_2D),
                s -> s.outputQuantization = Quantization.perTensor(0.05f, 4), "output.quantization");
    }
}
