package dev.mote.dsl;

import dev.mote.runtime.format.BuiltinOperator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mote.dsl.Lowering.Role.FOLDED;
import static dev.mote.dsl.Lowering.Role.FUSED;
import static dev.mote.dsl.Lowering.Role.INPUT;
import static dev.mote.dsl.Lowering.Role.OP;
import static dev.mote.dsl.Lowering.Role.REMOVED;
import static dev.mote.runtime.format.Padding.SAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
        assertEquals(List.of(INPUT, OP, FUSED, OP, OP, OP, OP, OP), roles(spec));
        assertEquals(BuiltinOperator.RELU, Lowering.of(spec).op(3));
    }

    @Test
    void batchNormFoldsAndTheActivationFusesThroughIt() {
        ModelSpec spec = MicroModel.sequential("m").input(8, 8, 1).conv2d(2, 3, 3).batchNorm().relu()
                .depthwiseConv2d(3, 3).batchNorm().dropout(0.1).relu6().flatten().dense(2).build();
        Lowering l = Lowering.of(spec);
        assertEquals(List.of(INPUT, OP, FOLDED, FUSED, OP, FOLDED, REMOVED, FUSED, OP, OP), roles(spec));
        assertEquals(1, l.into(2));
        assertEquals(1, l.into(3));
        assertEquals(4, l.into(7));
        assertEquals(ActivationKind.RELU6, l.fusedActivation(4));
        // the flatten reads the tensor the depthwise operator writes (batch norm, dropout and relu6 included)
        assertEquals(4, l.source(spec.node(8).input()));
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
    void residualReluAfterAddIsItsOwnOperatorAndNoFusionIntoABranchReadTwice() {
        MicroModel g = MicroModel.graph("res");
        ImageLayer x = g.input(8, 8, 4).conv2d(4, 3, 3).padding(SAME).relu();
        ImageLayer y = x.conv2d(4, 3, 3).padding(SAME).relu();
        ModelSpec spec = g.add(x, y).relu().globalAvgPool2d().dense(2).build();
        // conv2d(1) feeds relu(2), which two layers read: relu still fuses (the conv has one reader)
        assertEquals(List.of(INPUT, OP, FUSED, OP, FUSED, OP, OP, OP, OP), roles(spec));
        Lowering l = Lowering.of(spec);
        assertNull(l.fusedActivation(5));
        assertEquals(BuiltinOperator.ADD, l.op(5));
        assertEquals(BuiltinOperator.RELU, l.op(6));
        assertEquals(BuiltinOperator.MEAN, l.op(7));

        MicroModel g2 = MicroModel.graph("shared");
        ConvLayer c = g2.input(8, 8, 4).conv2d(4, 3, 3).padding(SAME);
        ModelSpec shared = g2.add(c.relu(), c).build();
        // the conv output is read by relu and add: fusing would change what add sees
        assertEquals(List.of(INPUT, OP, OP, OP), roles(shared));
    }
}
