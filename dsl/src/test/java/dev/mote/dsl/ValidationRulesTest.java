package dev.mote.dsl;

import dev.mote.dsl.InvalidModelSpecException.Rule;
import dev.mote.vocabulary.Padding;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;

import static dev.mote.vocabulary.Padding.SAME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rule {@code build()} enforces, each with the layer it must name. Rules the handle types already make
 * impossible to break (e.g. dense on an image) are checked on hand-assembled node lists, the way a spec built
 * without the fluent API would be.
 */
class ValidationRulesTest {

    private static void assertFails(Executable declaration, Rule rule, int index, String name, String... fragments) {
        InvalidModelSpecException e = assertThrows(InvalidModelSpecException.class, declaration);
        assertEquals(rule, e.rule(), e.getMessage());
        assertEquals(index, e.layerIndex(), e.getMessage());
        assertEquals(name, e.layerName(), e.getMessage());
        String expectedStart = index < 0 ? "model '" + name + "': " : "layer " + index + " '" + name + "'";
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertTrue(e.getMessage().contains("[" + rule + "]"), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
        }
    }

    private static ImageLayer image(int h, int w, int c) {
        return MicroModel.sequential("m").input(h, w, c);
    }

    private static FlatLayer flat(int n) {
        return MicroModel.sequential("m").input(n);
    }

    /** A hand-assembled chain: node i reads node i - 1, names n0, n1, ... */
    private static List<LayerNode> chain(LayerSpec... layers) {
        List<Draft> drafts = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            drafts.add(new Draft("n" + i, layers[i], i == 0 ? new int[0] : new int[] {i - 1}));
        }
        return SpecChecker.check("m", drafts);
    }

    private static List<LayerNode> graph(Draft... drafts) {
        return SpecChecker.check("m", List.of(drafts));
    }

    private static Draft node(String name, LayerSpec layer, int... inputs) {
        return new Draft(name, layer, inputs);
    }

    private static LayerSpec.Input input(int... dims) {
        return new LayerSpec.Input(Shape.of(dims));
    }

    private static LayerSpec.Conv2D conv(int filters, int k) {
        return new LayerSpec.Conv2D(filters, k, k, 1, 1, Padding.VALID, 1, 1, true);
    }

    @Test
    void messageNamesLayerRuleAndAdvice() {
        InvalidModelSpecException e = assertThrows(InvalidModelSpecException.class,
                () -> image(4, 4, 1).conv2d(8, 5, 5).build());
        assertEquals("layer 1 'conv2d' (Conv2D): kernel 5x5 is larger than its input 4x4 with VALID padding, so the "
                + "output would collapse to zero [KERNEL_LARGER_THAN_INPUT]; use padding(Padding.SAME), a smaller "
                + "kernel or zeroPad2d(..) first", e.getMessage());
    }

    @Nested
    class NonPositiveSizes {
        @Test
        void inputDimensions() {
            assertFails(() -> flat(0).build(), Rule.NON_POSITIVE_SIZE, 0, "input", "input dimension 0 must be >= 1");
            assertFails(() -> image(4, -1, 1).build(), Rule.NON_POSITIVE_SIZE, 0, "input", "input dimension 1");
            assertFails(() -> MicroModel.sequential("m").input(3, 0).build(), Rule.NON_POSITIVE_SIZE, 0, "input");
        }

        @Test
        void layerSizes() {
            assertFails(() -> flat(4).dense(0).build(), Rule.NON_POSITIVE_SIZE, 1, "dense", "units must be >= 1, got 0");
            assertFails(() -> image(8, 8, 1).conv2d(0, 3, 3).build(), Rule.NON_POSITIVE_SIZE, 1, "conv2d", "filters");
            assertFails(() -> image(8, 8, 1).conv2d(4, 0, 3).build(), Rule.NON_POSITIVE_SIZE, 1, "conv2d",
                    "kernel height must be >= 1, got 0");
            assertFails(() -> image(8, 8, 1).depthwiseConv2d(3, -2).build(), Rule.NON_POSITIVE_SIZE, 1,
                    "depthwise_conv2d", "kernel width");
            assertFails(() -> image(8, 8, 1).depthwiseConv2d(3, 3).depthMultiplier(0).build(),
                    Rule.NON_POSITIVE_SIZE, 1, "depthwise_conv2d", "depth multiplier");
            assertFails(() -> image(8, 8, 1).maxPool2d(0, 2).build(), Rule.NON_POSITIVE_SIZE, 1, "max_pool2d",
                    "pool window height");
            assertFails(() -> flat(6).reshape(0).build(), Rule.NON_POSITIVE_SIZE, 1, "reshape", "reshape dimension 0");
            assertFails(() -> flat(6).reshape(2, -3).build(), Rule.NON_POSITIVE_SIZE, 1, "reshape");
        }

        @Test
        void stridesAndDilations() {
            assertFails(() -> image(8, 8, 1).conv2d(4, 3, 3).stride(0).build(), Rule.NON_POSITIVE_SIZE, 1, "conv2d",
                    "stride height must be >= 1, got 0");
            assertFails(() -> image(8, 8, 1).conv2d(4, 3, 3).dilation(1, 0).build(), Rule.NON_POSITIVE_SIZE, 1,
                    "conv2d", "dilation width");
            assertFails(() -> image(8, 8, 1).avgPool2d(2, 2).stride(2, -1).build(), Rule.NON_POSITIVE_SIZE, 1,
                    "avg_pool2d", "stride width");
        }
    }

    @Nested
    class OutOfRange {
        @Test
        void rates() {
            assertFails(() -> flat(4).dropout(1.0).build(), Rule.OUT_OF_RANGE, 1, "dropout", "[0, 1)");
            assertFails(() -> flat(4).dropout(-0.1).build(), Rule.OUT_OF_RANGE, 1, "dropout");
            assertFails(() -> flat(4).dropout(Double.NaN).build(), Rule.OUT_OF_RANGE, 1, "dropout");
            flat(4).dropout(0.0).dense(2).build();
        }

        @Test
        void leakyReluSlope() {
            assertFails(() -> flat(4).leakyRelu(-0.1f).build(), Rule.OUT_OF_RANGE, 1, "leaky_relu", "alpha");
            assertFails(() -> flat(4).leakyRelu(Float.NaN).build(), Rule.OUT_OF_RANGE, 1, "leaky_relu");
            assertFails(() -> chain(input(4), new LayerSpec.Activation(ActivationKind.RELU, 0.5f)),
                    Rule.OUT_OF_RANGE, 1, "n1", "only applies to LEAKY_RELU");
        }

        @Test
        void batchNormSettings() {
            assertFails(() -> flat(4).dense(3).batchNorm(0, 0.99).build(), Rule.OUT_OF_RANGE, 2, "batch_norm",
                    "epsilon");
            assertFails(() -> flat(4).dense(3).batchNorm(1e-3, 1.5).build(), Rule.OUT_OF_RANGE, 2, "batch_norm",
                    "momentum");
        }

        @Test
        void paddingAmountsAndKinds() {
            assertFails(() -> image(4, 4, 1).zeroPad2d(-1).build(), Rule.OUT_OF_RANGE, 1, "zero_pad2d",
                    "top padding must be >= 0, got -1");
            assertFails(() -> chain(input(4, 4, 1), new LayerSpec.Conv2D(1, 3, 3, 1, 1, null, 1, 1, true)),
                    Rule.OUT_OF_RANGE, 1, "n1", "padding must be Padding.SAME or Padding.VALID");
        }
    }

    @Nested
    class KernelLargerThanInput {
        @Test
        void validConvolution() {
            assertFails(() -> image(4, 4, 1).conv2d(8, 5, 5).build(), Rule.KERNEL_LARGER_THAN_INPUT, 1, "conv2d",
                    "5x5", "input 4x4");
            assertFails(() -> image(10, 4, 1).conv2d(8, 3, 5).build(), Rule.KERNEL_LARGER_THAN_INPUT, 1, "conv2d");
        }

        @Test
        void dilationCountsTheDilatedExtent() {
            // 3x3 with dilation 3 covers 7x7
            assertFails(() -> image(6, 6, 1).depthwiseConv2d(3, 3).dilation(3).build(),
                    Rule.KERNEL_LARGER_THAN_INPUT, 1, "depthwise_conv2d", "dilated to 7x7");
            image(7, 7, 1).depthwiseConv2d(3, 3).dilation(3).build();
        }

        @Test
        void poolingWindow() {
            assertFails(() -> image(2, 2, 3).maxPool2d(3, 3).build(), Rule.KERNEL_LARGER_THAN_INPUT, 1, "max_pool2d",
                    "pool window 3x3");
        }

        @Test
        void explicitPaddingMakesRoom() {
            assertFails(() -> image(4, 4, 1).conv2d(2, 5, 5).build(), Rule.KERNEL_LARGER_THAN_INPUT, 1, "conv2d");
            assertArrayEquals(new int[] {2, 2, 2},
                    image(4, 4, 1).zeroPad2d(1).conv2d(2, 5, 5).build().outputShape().dims());
            // SAME pads implicitly, so the kernel always fits its padded input
            assertArrayEquals(new int[] {2, 2, 2},
                    image(2, 2, 1).conv2d(2, 5, 5).padding(SAME).build().outputShape().dims());
        }

        @Test
        void shapesCollapsingToZeroAfterSeveralLayers() {
            // 8 -> 6 -> 4 -> 2, and a fourth VALID 3x3 would leave nothing
            assertFails(() -> image(8, 8, 1).conv2d(4, 3, 3).conv2d(4, 3, 3).conv2d(4, 3, 3).conv2d(4, 3, 3).build(),
                    Rule.KERNEL_LARGER_THAN_INPUT, 4, "conv2d_3", "input 2x2", "collapse to zero");
        }
    }

    @Nested
    class StrideWithDilation {
        @Test
        void convolution() {
            assertFails(() -> image(16, 16, 1).conv2d(4, 3, 3).stride(2).dilation(2).build(),
                    Rule.UNSUPPORTED_STRIDE_DILATION, 1, "conv2d", "stride 2x2 together with dilation 2x2");
        }

        @Test
        void depthwiseOnDifferentAxes() {
            assertFails(() -> image(16, 16, 1).depthwiseConv2d(3, 3).stride(1, 2).dilation(2, 1).build(),
                    Rule.UNSUPPORTED_STRIDE_DILATION, 1, "depthwise_conv2d");
        }
    }

    @Nested
    class InputRank {
        @Test
        void denseNeedsAVector() {
            assertFails(() -> chain(input(4, 4, 3), new LayerSpec.Dense(10, true)), Rule.INPUT_RANK, 1, "n1",
                    "needs a 1-D input, got [4, 4, 3]", "flatten()");
        }

        @Test
        void imageLayersNeedAnImage() {
            assertFails(() -> chain(input(10), conv(2, 1)), Rule.INPUT_RANK, 1, "n1", "needs a 3-D input");
            assertFails(() -> chain(input(8, 4), new LayerSpec.MaxPool2D(2, 2, 2, 2, Padding.VALID)),
                    Rule.INPUT_RANK, 1, "n1");
            assertFails(() -> chain(input(5, 5), new LayerSpec.GlobalAvgPool2D()), Rule.INPUT_RANK, 1, "n1");
            assertFails(() -> chain(input(3), new LayerSpec.ZeroPad2D(1, 1, 1, 1)), Rule.INPUT_RANK, 1, "n1");
        }
    }

    @Nested
    class ShapeMismatch {
        @Test
        void addNeedsEqualShapes() {
            MicroModel g = MicroModel.graph("m");
            ImageLayer x = g.input(8, 8, 4);
            assertFails(() -> g.add(x, x.conv2d(5, 3, 3).padding(SAME)).build(), Rule.SHAPE_MISMATCH, 2, "add",
                    "[8, 8, 4]", "[8, 8, 5]");
            MicroModel g2 = MicroModel.graph("m");
            ImageLayer y = g2.input(8, 8, 4);
            assertFails(() -> g2.add(y, y.conv2d(4, 3, 3)).build(), Rule.SHAPE_MISMATCH, 2, "add", "[6, 6, 4]");
        }

        @Test
        void concatenateNeedsEqualHeightAndWidth() {
            MicroModel g = MicroModel.graph("m");
            ImageLayer x = g.input(8, 8, 3);
            assertFails(() -> g.concatenate(x, x.maxPool2d(2, 2)).build(), Rule.SHAPE_MISMATCH, 2, "concatenate",
                    "[4, 4, 3]", "all dimensions but the last");
            assertFails(() -> graph(node("in", input(4, 4, 2)), node("f", new LayerSpec.Flatten(), 0),
                    node("c", new LayerSpec.Concatenate(), 0, 1)), Rule.SHAPE_MISMATCH, 2, "c");
        }

        @Test
        void reshapeKeepsTheElementCount() {
            assertFails(() -> flat(6).reshape(7).build(), Rule.SHAPE_MISMATCH, 1, "reshape", "6 elements",
                    "7 elements");
        }

        @Test
        void recordedShapesMustMatchInference() {
            ModelSpec good = flat(3).dense(2).build();
            List<LayerNode> bad = List.of(good.node(0),
                    new LayerNode(1, "dense", good.node(1).layer(), new int[] {0}, Shape.of(5)));
            assertFails(() -> ModelSpec.of("m", bad), Rule.SHAPE_MISMATCH, 1, "dense", "records output shape [5]");
            assertEquals(good, ModelSpec.of("m", good.nodes()));
        }
    }

    @Nested
    class SoftmaxPlacement {
        @Test
        void onlyAsTheLastLayer() {
            assertFails(() -> flat(8).dense(10).softmax().dense(3).build(), Rule.SOFTMAX_PLACEMENT, 2, "softmax",
                    "'dense_1' reads it");
        }

        @Test
        void onlyOnAVector() {
            assertFails(() -> chain(input(4, 4, 3), LayerSpec.Activation.of(ActivationKind.SOFTMAX)),
                    Rule.SOFTMAX_PLACEMENT, 1, "n1", "softmax over [4, 4, 3]");
            assertFails(() -> chain(input(5, 3), LayerSpec.Activation.of(ActivationKind.SOFTMAX)),
                    Rule.SOFTMAX_PLACEMENT, 1, "n1", "1-D tail");
        }

        @Test
        void notInsideABranch() {
            MicroModel g = MicroModel.graph("m");
            FlatLayer x = g.input(4);
            assertFails(() -> g.add(x.dense(4).softmax(), x).build(), Rule.SOFTMAX_PLACEMENT, 2, "softmax",
                    "'add' reads it");
        }
    }

    @Nested
    class BatchNormPlacement {
        @Test
        void mustFollowALinearLayer() {
            assertFails(() -> chain(input(8, 8, 1), new LayerSpec.MaxPool2D(2, 2, 2, 2, Padding.VALID),
                    new LayerSpec.BatchNorm(1e-3, 0.99)), Rule.BATCH_NORM_PLACEMENT, 2, "n2", "follows layer 1 'n1' "
                    + "(MaxPool2D)");
            assertFails(() -> chain(input(4), new LayerSpec.Dense(3, true), LayerSpec.Activation.of(
                    ActivationKind.RELU), new LayerSpec.BatchNorm(1e-3, 0.99)), Rule.BATCH_NORM_PLACEMENT, 3, "n3",
                    "(ReLU)");
            assertFails(() -> chain(input(4), new LayerSpec.BatchNorm(1e-3, 0.99)), Rule.BATCH_NORM_PLACEMENT, 1,
                    "n1", "(Input)");
        }

        @Test
        void mustBeTheLinearLayersOnlyReader() {
            MicroModel g = MicroModel.graph("m");
            ConvLayer c = g.input(8, 8, 4).conv2d(4, 3, 3).padding(SAME);
            ImageLayer normalized = c.batchNorm();
            assertFails(() -> g.add(normalized, c).build(), Rule.BATCH_NORM_PLACEMENT, 2, "batch_norm",
                    "which 2 layers read");
        }
    }

    @Nested
    class Int32Overflow {
        @Test
        void tensorElements() {
            assertFails(() -> image(50_000, 50_000, 1).build(), Rule.INT32_OVERFLOW, 0, "input", "2500000000");
            assertFails(() -> image(1, Integer.MAX_VALUE, 1).zeroPad2d(1).build(), Rule.INT32_OVERFLOW, 1,
                    "zero_pad2d", "padded width 2147483649");
        }

        @Test
        void weightCount() {
            // 65,536 x 65,536 = 2^32 weights
            assertFails(() -> flat(65_536).dense(65_536).build(), Rule.INT32_OVERFLOW, 1, "dense",
                    "4294967296 weights");
        }

        @Test
        void accumulatorDepth() {
            assertFails(() -> flat(70_000).dense(1).build(), Rule.INT32_OVERFLOW, 1, "dense", "sums 70000",
                    "66311");
            flat(66_311).dense(1).build();
            // 3 x 3 x 8,000 channels = 72,000 products per output
            assertFails(() -> image(3, 3, 8000).conv2d(1, 3, 3).build(), Rule.INT32_OVERFLOW, 1, "conv2d",
                    "sums 72000");
        }

        @Test
        void averagedElements() {
            assertFails(() -> image(3000, 3000, 1).avgPool2d(3000, 3000).build(), Rule.INT32_OVERFLOW, 1,
                    "avg_pool2d", "averages 9000000");
            assertFails(() -> image(3000, 3000, 1).globalAvgPool2d().build(), Rule.INT32_OVERFLOW, 1,
                    "global_avg_pool2d");
        }

        @Test
        void wholeModelBeyondAFlatBuffer() {
            // 1.6 G weights each: the second layer crosses 2 GiB
            assertFails(() -> flat(40_000).dense(40_000).dense(40_000).build(), Rule.INT32_OVERFLOW, 2, "dense_1",
                    "2 GiB");
        }
    }

    @Nested
    class UnsupportedByTflm {
        @Test
        void concatenationOfMoreThanTenInputs() {
            MicroModel g = MicroModel.graph("m");
            FlatLayer x = g.input(4);
            FlatLayer[] more = new FlatLayer[9];
            for (int k = 0; k < more.length; k++) {
                more[k] = x.dense(2);
            }
            assertFails(() -> g.concatenate(x.dense(2), x.dense(2), more).build(), Rule.UNSUPPORTED_BY_TFLM, 12,
                    "concatenate", "11 inputs", "at most 10");
            MicroModel ok = MicroModel.graph("m");
            FlatLayer y = ok.input(4);
            FlatLayer[] eight = new FlatLayer[8];
            for (int k = 0; k < eight.length; k++) {
                eight[k] = y.dense(2);
            }
            assertArrayEquals(new int[] {20}, ok.concatenate(y.dense(2), y.dense(2), eight).build().outputShape()
                    .dims());
        }

        @Test
        void tensorsAboveFourDimensions() {
            assertFails(() -> chain(input(2, 2, 2, 2)), Rule.UNSUPPORTED_BY_TFLM, 0, "n0", "at most 4-D");
            assertFails(() -> chain(input(16), new LayerSpec.Reshape(Shape.of(2, 2, 2, 2))), Rule.UNSUPPORTED_BY_TFLM,
                    1, "n1", "rank 4");
        }

        @Test
        void everyLayerBecomesAnOpTflmRunsInInt8() {
            LayerSpec[] all = {new LayerSpec.Dense(1, true), conv(1, 1),
                    new LayerSpec.DepthwiseConv2D(1, 1, 1, 1, 1, Padding.SAME, 1, 1, true),
                    new LayerSpec.MaxPool2D(1, 1, 1, 1, Padding.SAME), new LayerSpec.AvgPool2D(1, 1, 1, 1, Padding.SAME),
                    new LayerSpec.GlobalAvgPool2D(), new LayerSpec.Flatten(), new LayerSpec.Reshape(Shape.of(1)),
                    new LayerSpec.ZeroPad2D(0, 0, 0, 0), new LayerSpec.Add(), new LayerSpec.Concatenate()};
            for (LayerSpec layer : all) {
                assertTrue(Lowering.TFLM_INT8.contains(Lowering.opOf(layer)), layer.toString());
            }
            for (ActivationKind kind : ActivationKind.values()) {
                assertTrue(Lowering.TFLM_INT8.contains(Lowering.opOf(LayerSpec.Activation.of(kind))), kind.name());
            }
        }
    }

    @Nested
    class GraphStructure {
        @Test
        void aBranchThatDoesNotReachTheOutput() {
            FlatLayer x = flat(4);
            x.dense(3);
            assertFails(() -> x.dense(2).build(), Rule.GRAPH_STRUCTURE, 1, "dense",
                    "does not lead to the output 'dense_1'", "keep chaining");
        }

        @Test
        void buildingFromAnEarlierLayer() {
            FlatLayer hidden = flat(4).dense(8);
            hidden.dense(1);
            assertFails(hidden::build, Rule.GRAPH_STRUCTURE, 2, "dense_1", "does not lead to the output 'dense'");
        }

        @Test
        void inputFirstAndOnlyOnce() {
            assertFails(() -> chain(new LayerSpec.Dense(2, true)), Rule.GRAPH_STRUCTURE, 0, "n0", "first layer");
            assertFails(() -> chain(input(2), input(2)), Rule.GRAPH_STRUCTURE, 1, "n1", "second input");
        }

        @Test
        void inputsMustComeEarlierAndMatchTheArity() {
            assertFails(() -> graph(node("a", input(2)), node("b", new LayerSpec.Dense(2, true), 2),
                    node("c", new LayerSpec.Dense(2, true), 1)), Rule.GRAPH_STRUCTURE, 1, "b", "reads layer 2");
            assertFails(() -> graph(node("a", input(2)), node("b", new LayerSpec.Add(), 0, 0, 0)),
                    Rule.GRAPH_STRUCTURE, 1, "b", "has 3 input(s), expected 2", "ADD is binary");
            assertFails(() -> graph(node("a", input(2)), node("b", new LayerSpec.Concatenate(), 0)),
                    Rule.GRAPH_STRUCTURE, 1, "b", "needs at least 2");
            assertFails(() -> graph(node("a", input(2)), node("b", new LayerSpec.Dense(2, true), 0, 0)),
                    Rule.GRAPH_STRUCTURE, 1, "b");
        }

        @Test
        void namesAreUniqueAndNotBlank() {
            assertFails(() -> graph(node("a", input(2)), node("a", new LayerSpec.Dense(2, true), 0)),
                    Rule.GRAPH_STRUCTURE, 1, "a", "same name as layer 0");
            assertFails(() -> graph(node("a", input(2)), node(" ", new LayerSpec.Dense(2, true), 0)),
                    Rule.GRAPH_STRUCTURE, 1, " ", "non-blank name");
            assertFails(() -> SpecChecker.check("", List.of(node("a", input(2)))), Rule.GRAPH_STRUCTURE, -1, "",
                    "non-blank name");
        }

        @Test
        void aModelNeedsAnOperator() {
            assertFails(() -> flat(4).build(), Rule.GRAPH_STRUCTURE, -1, "m", "no layer that becomes a TFLite op");
            assertFails(() -> flat(4).dropout(0.5).build(), Rule.GRAPH_STRUCTURE, -1, "m");
        }
    }

    @Nested
    class ApiMisuseFailsAtTheCall {
        @Test
        void oneInputPerModel() {
            MicroModel m = MicroModel.sequential("m");
            m.input(3);
            assertThrows(IllegalStateException.class, () -> m.input(3));
        }

        @Test
        void branchesOnlyInGraphModels() {
            MicroModel m = MicroModel.sequential("m");
            FlatLayer x = m.input(3);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.add(x, x));
            assertTrue(e.getMessage().contains("MicroModel.graph(\"m\")"), e.getMessage());
        }

        @Test
        void handlesBelongToTheirModel() {
            MicroModel a = MicroModel.graph("a");
            MicroModel b = MicroModel.graph("b");
            FlatLayer x = a.input(3);
            FlatLayer y = b.input(3);
            assertThrows(IllegalArgumentException.class, () -> a.add(x, y));
        }

        @Test
        void namesAreUniqueAtOnce() {
            FlatLayer x = flat(3).dense(2).named("hidden");
            assertThrows(IllegalArgumentException.class, () -> x.dense(2).named("hidden"));
            assertThrows(IllegalArgumentException.class, () -> x.named(" "));
            assertThrows(IllegalArgumentException.class, () -> MicroModel.sequential(""));
        }
    }
}
