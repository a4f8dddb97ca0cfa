package dev.mote.dsl;

import dev.mote.vocabulary.Padding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mote.vocabulary.Padding.SAME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MicroModelTest {

    @Test
    void helloWorldIsAChainOfSixNodes() {
        ModelSpec spec = MicroModel.sequential("hello_world")
                .input(1)
                .dense(16).relu()
                .dense(16).relu()
                .dense(1)
                .build();
        assertEquals("hello_world", spec.name());
        assertTrue(spec.isChain());
        assertEquals(List.of("input", "dense", "relu", "dense_1", "relu_1", "dense_2"),
                spec.nodes().stream().map(LayerNode::name).toList());
        assertEquals(new LayerSpec.Input(Shape.of(1)), spec.node(0).layer());
        assertEquals(new LayerSpec.Dense(16, true), spec.node(1).layer());
        assertEquals(LayerSpec.Activation.of(ActivationKind.RELU), spec.node(2).layer());
        assertEquals(Shape.of(1), spec.inputShape());
        assertEquals(Shape.of(1), spec.outputShape());
        for (LayerNode node : spec.nodes()) {
            assertEquals(spec.nodes().indexOf(node), node.index());
        }
    }

    @Test
    void stepOptionsSetTheLayerSpec() {
        ModelSpec spec = MicroModel.sequential("m").input(32, 32, 3)
                .conv2d(8, 3, 5).stride(2, 1).padding(SAME).dilation(1).withoutBias().named("stem")
                .depthwiseConv2d(3, 3).depthMultiplier(2).dilation(2, 1).padding(Padding.SAME).withoutBias()
                .maxPool2d(3, 3).stride(2).padding(SAME)
                .avgPool2d(2, 2).stride(1, 2)
                .flatten().dense(4).withoutBias().named("logits")
                .build();
        assertEquals(new LayerSpec.Conv2D(8, 3, 5, 2, 1, SAME, 1, 1, false), spec.node(1).layer());
        assertEquals("stem", spec.node(1).name());
        assertEquals(new LayerSpec.DepthwiseConv2D(3, 3, 2, 1, 1, SAME, 2, 1, false), spec.node(2).layer());
        assertEquals(new LayerSpec.MaxPool2D(3, 3, 2, 2, SAME), spec.node(3).layer());
        assertEquals(new LayerSpec.AvgPool2D(2, 2, 1, 2, Padding.VALID), spec.node(4).layer());
        assertEquals(new LayerSpec.Dense(4, false), spec.output().layer());
        assertEquals("logits", spec.output().name());
    }

    @Test
    void defaultsFollowKeras() {
        ModelSpec spec = MicroModel.sequential("m").input(8, 8, 1).conv2d(2, 3, 3).depthwiseConv2d(3, 3)
                .maxPool2d(2, 2).flatten().dense(1).build();
        assertEquals(new LayerSpec.Conv2D(2, 3, 3, 1, 1, Padding.VALID, 1, 1, true), spec.node(1).layer());
        assertEquals(new LayerSpec.DepthwiseConv2D(3, 3, 1, 1, 1, Padding.VALID, 1, 1, true), spec.node(2).layer());
        assertEquals(new LayerSpec.MaxPool2D(2, 2, 2, 2, Padding.VALID), spec.node(3).layer());
        assertEquals(new LayerSpec.BatchNorm(0.001, 0.99),
                MicroModel.sequential("m").input(2).dense(2).batchNorm().build().output().layer());
    }

    @Test
    void sequenceInputsReshapeIntoImages() {
        ModelSpec spec = MicroModel.sequential("kws").input(49, 40).reshape(49, 40, 1)
                .conv2d(8, 10, 8).stride(2).padding(SAME).relu().flatten().dense(4).softmax().build();
        assertEquals(Shape.of(49, 40), spec.inputShape());
        assertEquals(Shape.of(4), spec.outputShape());
    }

    @Test
    void graphNodesAreInTopologicalOrderWithTheirInputs() {
        MicroModel g = MicroModel.graph("inception");
        ImageLayer x = g.input(16, 16, 3);
        ImageLayer a = x.conv2d(4, 1, 1).relu();
        ImageLayer b = x.conv2d(4, 3, 3).padding(SAME).relu();
        ImageLayer c = x.maxPool2d(3, 3).stride(1).padding(SAME).conv2d(4, 1, 1);
        ModelSpec spec = g.concatenate(a, b, c).globalAvgPool2d().dense(10).softmax().build();
        assertFalse(spec.isChain());
        LayerNode concat = spec.node(7);
        assertEquals("concatenate", concat.name());
        assertArrayEquals(new int[] {2, 4, 6}, concat.inputs());
        assertEquals(Shape.of(16, 16, 12), concat.outputShape());
        for (LayerNode node : spec.nodes()) {
            for (int p : node.inputs()) {
                assertTrue(p < node.index());
            }
        }
        assertEquals(spec.nodes().size() - 1, spec.output().index());
    }

    @Test
    void buildIsRepeatableAndSpecsAreImmutable() {
        FlatLayer out = MicroModel.sequential("m").input(3).dense(2);
        ModelSpec first = out.build();
        ModelSpec second = out.build();
        assertNotSame(first, second);
        assertEquals(first.nodes().size(), second.nodes().size());
        assertThrows(UnsupportedOperationException.class, () -> first.nodes().add(first.node(0)));
        int[] inputs = first.node(1).inputs();
        inputs[0] = 7;
        assertEquals(0, first.node(1).input());
    }

    @Test
    void generatedNamesSkipNamesTakenByHand() {
        // the counter of "dense" moved on when the first dense was created; "dense_1" is then taken by hand
        ModelSpec spec = MicroModel.sequential("m").input(3).dense(2).named("dense_1").dense(2).dense(2).build();
        assertEquals(List.of("input", "dense_1", "dense_2", "dense_3"),
                spec.nodes().stream().map(LayerNode::name).toList());
    }

    @Test
    void handlesDescribeThemselves() {
        FlatLayer x = MicroModel.sequential("m").input(3).dense(2);
        assertEquals("dense", x.name());
        assertTrue(x.toString().contains("'dense' (layer 1 of model 'm')"), x.toString());
    }
}
