package dev.mote.dsl;

import dev.mote.vocabulary.BuiltinOperator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mote.dsl.Lowering.Role.ABSORBED;
import static dev.mote.dsl.Lowering.Role.FOLDED;
import static dev.mote.dsl.Lowering.Role.FUSED;
import static dev.mote.dsl.Lowering.Role.INPUT;
import static dev.mote.dsl.Lowering.Role.OP;
import static dev.mote.dsl.Lowering.Role.REMOVED;
import static dev.mote.vocabulary.Padding.SAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoweringTest {

    private static List<Lowering.Role> roles(ModelSpec spec) {
        Lowering l = Lowering.of(spec);
        return spec.nodes().stream().map(n -> l.role(n.index())).toList();
    }

    @Test
    void reluAndRelu6FuseIntoTheLinearLayerBeforeThem() {
        ModelSpec spec = MicroModel.sequential("m").input(4).dense(8).relu().dense(8).relu6().dense(2).build();
        Lowering l = Lowering.of(spec);
        assertEquals(List.of(INPUT, OP, FUSED, OP, FUSED, OP), roles(spec));
        assertEquals(ActivationKind.RELU, l.fusedActivation(1));
        assertEquals(ActivationKind.RELU6, l.fusedActivation(3));
        assertNull(l.fusedActivation(5));
        assertEquals(1, l.into(2));
        assertEquals(1, l.source(2));
        assertEquals(List.of(BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.FULLY_CONNECTED,
                BuiltinOperator.FULLY_CONNECTED), l.ops());
    }

    @Test
    void otherActivationsStayOperators() {
        // TFLM's quantized kernels honour only RELU / RELU_N1_TO_1 / RELU6 as fused activations
        ModelSpec spec = MicroModel.sequential("m").input(4).dense(8).tanh().dense(8).sigmoid().dense(8)
                .leakyRelu(0.2f).dense(8).hardSwish().dense(2).softmax().build();
        assertEquals(List.of(BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.TANH, BuiltinOperator.FULLY_CONNECTED,
                BuiltinOperator.LOGISTIC, BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.LEAKY_RELU,
                BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.HARD_SWISH, BuiltinOperator.FULLY_CONNECTED,
                BuiltinOperator.SOFTMAX), Lowering.of(spec).ops());
    }

    @Test
    void reluAfterPoolingOrAnotherReluIsItsOwnOperator() {
        ModelSpec spec = MicroModel.sequential("m").input(8, 8, 1).conv2d(2, 3, 3).relu().relu().maxPool2d(2, 2)
                .relu().flatten().dense(2).build();
        assertEquals(List.of(INPUT, OP, FUSED, OP, OP, OP, ABSORBED, OP), roles(spec));
        assertEquals(BuiltinOperator.RELU, Lowering.of(spec).op(3));
    }

    @Test
    void batchNormFoldsAndTheActivationFusesThroughIt() {
        ModelSpec spec = MicroModel.sequential("m").input(8, 8, 1).conv2d(2, 3, 3).batchNorm().relu()
                .depthwiseConv2d(3, 3).batchNorm().dropout(0.1).relu6().flatten().dense(2).build();
        Lowering l = Lowering.of(spec);
        assertEquals(List.of(INPUT, OP, FOLDED, FUSED, OP, FOLDED, REMOVED, FUSED, ABSORBED, OP), roles(spec));
        assertEquals(1, l.into(2));
        assertEquals(1, l.into(3));
        assertEquals(4, l.into(7));
        assertEquals(9, l.into(8));
        assertEquals(ActivationKind.RELU6, l.fusedActivation(4));
        // the dense layer reads the tensor the depthwise operator writes (batch norm, dropout, relu6 and flatten
        // included)
        assertEquals(4, l.source(spec.node(9).input()));
    }

    @Test
    void flattenAndReshapeBecomeReshape() {
        ModelSpec spec = MicroModel.sequential("m").input(2, 3, 1).flatten().dropout(0.5).reshape(3, 2).reshape(6)
                .dense(2).build();
        assertEquals(List.of(INPUT, OP, REMOVED, OP, OP, OP), roles(spec));
        assertEquals(List.of(BuiltinOperator.RESHAPE, BuiltinOperator.RESHAPE, BuiltinOperator.RESHAPE,
                BuiltinOperator.FULLY_CONNECTED), Lowering.of(spec).ops());
    }

    @Test
    void residualReluFusesIntoAddButNotIntoABranchReadTwice() {
        MicroModel g = MicroModel.graph("res");
        ImageLayer x = g.input(8, 8, 4).conv2d(4, 3, 3).padding(SAME).relu();
        ImageLayer y = x.conv2d(4, 3, 3).padding(SAME).relu();
        ModelSpec spec = g.add(x, y).relu().globalAvgPool2d().dense(2).build();
        // conv2d(1) feeds relu(2), which two layers read: relu still fuses (the conv has one reader)
        // the relu after add fuses into ADD (the converter's FuseBinaryWithActivation pattern)
        assertEquals(List.of(INPUT, OP, FUSED, OP, FUSED, OP, FUSED, OP, OP), roles(spec));
        Lowering l = Lowering.of(spec);
        assertEquals(ActivationKind.RELU, l.fusedActivation(5));
        assertEquals(BuiltinOperator.ADD, l.op(5));
        assertEquals(5, l.into(6));
        assertEquals(BuiltinOperator.MEAN, l.op(7));

        MicroModel g2 = MicroModel.graph("shared");
        ConvLayer c = g2.input(8, 8, 4).conv2d(4, 3, 3).padding(SAME);
        ModelSpec shared = g2.add(c.relu(), c).build();
        // the conv output is read by relu and add: fusing would change what add sees
        assertEquals(List.of(INPUT, OP, OP, OP), roles(shared));
    }

    @Test
    void flattenReadOnlyByADenseLayerIsAbsorbedElseItStaysAReshape() {
        // read by the dense layer only, also through a dropout: absorbed
        ModelSpec dense = MicroModel.sequential("m").input(4, 4, 2).conv2d(3, 3, 3).flatten().dropout(0.5).dense(2)
                .build();
        assertEquals(List.of(INPUT, OP, ABSORBED, REMOVED, OP), roles(dense));
        Lowering l = Lowering.of(dense);
        assertEquals(4, l.into(2));
        assertEquals(1, l.source(2));
        assertEquals(1, l.source(3));
        assertEquals(List.of(BuiltinOperator.CONV_2D, BuiltinOperator.FULLY_CONNECTED), l.ops());
        // the model output, or read by an activation: a RESHAPE
        ModelSpec last = MicroModel.sequential("m").input(4, 4, 2).conv2d(3, 3, 3).flatten().build();
        assertEquals(List.of(INPUT, OP, OP), roles(last));
        assertEquals(2, Lowering.of(last).output());
        ModelSpec activation = MicroModel.sequential("m").input(4, 4, 2).conv2d(3, 3, 3).flatten().relu().dense(2)
                .build();
        assertEquals(List.of(INPUT, OP, OP, OP, OP), roles(activation));
        // read by a dense layer and by something else: a RESHAPE
        MicroModel g = MicroModel.graph("two_readers");
        FlatLayer f = g.input(4, 4, 2).flatten();
        ModelSpec twoReaders = g.concatenate(f.dense(4), f.dense(4)).dense(2).build();
        assertEquals(BuiltinOperator.RESHAPE, Lowering.of(twoReaders).op(1));
    }

    @Test
    void anAddOfThreeInputsIsTwoChainedAddsCarryingTheFusedActivation() {
        // a spec cannot hold a 3-input ADD (TFLite's ADD is binary): the DSL nests them instead
        Shape s = Shape.of(4);
        InvalidModelSpecException e = assertThrows(InvalidModelSpecException.class, () -> ModelSpec.of("add3", List.of(
                new LayerNode(0, "in", new LayerSpec.Input(s), new int[0], s),
                new LayerNode(1, "d", new LayerSpec.Dense(4, true), new int[] {0}, s),
                new LayerNode(2, "sum", new LayerSpec.Add(), new int[] {0, 1, 0}, s))));
        assertTrue(e.getMessage().contains("nest add(add(a, b), c)"), e.getMessage());
        MicroModel g = MicroModel.graph("add3");
        FlatLayer in = g.input(4);
        ModelSpec spec = g.add(g.add(in, in.dense(4)), in).relu6().build();
        Lowering l = Lowering.of(spec);
        assertEquals(List.of(BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.ADD, BuiltinOperator.ADD), l.ops());
        assertEquals(ActivationKind.RELU6, l.fusedActivation(3));
        assertEquals(3, l.output());
    }

    @Test
    void handAssembledNodesThatCannotBeLoweredMakeNoSpecAndNameTheNode() {
        Shape s = Shape.of(4);
        List<LayerNode> bnAfterRelu = List.of(
                new LayerNode(0, "in", new LayerSpec.Input(s), new int[0], s),
                new LayerNode(1, "d", new LayerSpec.Dense(4, true), new int[] {0}, s),
                new LayerNode(2, "r", LayerSpec.Activation.of(ActivationKind.RELU), new int[] {1}, s),
                new LayerNode(3, "bn", new LayerSpec.BatchNorm(1e-3, 0.99), new int[] {2}, s));
        InvalidModelSpecException e = assertThrows(InvalidModelSpecException.class,
                () -> ModelSpec.of("bn", bnAfterRelu));
        assertEquals(3, e.layerIndex());
        assertEquals(InvalidModelSpecException.Rule.BATCH_NORM_PLACEMENT, e.rule());
        assertTrue(e.problem().contains("must directly follow"), e.getMessage());
        List<LayerNode> forward = List.of(
                new LayerNode(0, "in", new LayerSpec.Input(s), new int[0], s),
                new LayerNode(1, "d", new LayerSpec.Dense(4, true), new int[] {2}, s),
                new LayerNode(2, "e", new LayerSpec.Dense(4, true), new int[] {1}, s));
        e = assertThrows(InvalidModelSpecException.class, () -> ModelSpec.of("fwd", forward));
        assertEquals(1, e.layerIndex());
        assertEquals(InvalidModelSpecException.Rule.GRAPH_STRUCTURE, e.rule());
    }
}
