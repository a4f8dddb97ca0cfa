package dev.mote.dsl;

import dev.mote.vocabulary.MoteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static dev.mote.vocabulary.Padding.SAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Once the chain moves on from a layer, its options are closed: changing them fails naming the layer. */
class ClosedLayerStepTest {

    @Test
    void strideAfterTheNextLayerThrowsNamingTheLayerAndLeavesTheModelAsDeclared() {
        ConvLayer conv = MicroModel.sequential("m").input(6, 6, 1).conv2d(4, 1, 1);
        ImageLayer relu = conv.relu();
        LayerClosedException e = assertThrows(LayerClosedException.class, () -> conv.stride(2));
        assertInstanceOf(MoteException.class, e);
        assertEquals(1, e.layerIndex());
        assertEquals("conv2d", e.layerName());
        assertEquals("stride(..)", e.option());
        assertTrue(e.getMessage().startsWith("layer 1 'conv2d' (Conv2D) is closed: layer 2 'relu' already reads it"),
                e.getMessage());
        assertTrue(e.getMessage().contains("call stride(..) right after declaring 'conv2d'"), e.getMessage());
        // the relu still sees the stride-1 convolution
        assertEquals(Shape.of(6, 6, 4), relu.flatten().dense(2).build().node(2).outputShape());
    }

    @Test
    void everyOptionOfEveryStepIsClosedOnceRead() {
        ImageLayer image = MicroModel.graph("g").input(8, 8, 2);
        ConvLayer conv = image.conv2d(4, 3, 3);
        conv.relu();
        assertClosed(() -> conv.stride(2), "stride(..)");
        assertClosed(() -> conv.padding(SAME), "padding(..)");
        assertClosed(() -> conv.dilation(2), "dilation(..)");
        assertClosed(conv::withoutBias, "withoutBias()");
        assertClosed(() -> conv.named("stem"), "named(..)");
        DepthwiseLayer depthwise = image.depthwiseConv2d(3, 3);
        depthwise.maxPool2d(2, 2);
        assertClosed(() -> depthwise.depthMultiplier(2), "depthMultiplier(..)");
        assertClosed(() -> depthwise.stride(2), "stride(..)");
        assertClosed(() -> depthwise.padding(SAME), "padding(..)");
        assertClosed(() -> depthwise.dilation(2), "dilation(..)");
        assertClosed(depthwise::withoutBias, "withoutBias()");
        PoolLayer max = image.maxPool2d(2, 2);
        max.flatten();
        assertClosed(() -> max.stride(1), "stride(..)");
        assertClosed(() -> max.padding(SAME), "padding(..)");
        PoolLayer avg = image.avgPool2d(2, 2);
        avg.relu();
        assertClosed(() -> avg.stride(1), "stride(..)");
        DenseLayer dense = image.flatten().dense(3);
        dense.softmax();
        assertClosed(dense::withoutBias, "withoutBias()");
        SequenceLayer steps = MicroModel.sequential("s").input(4, 3);
        steps.flatten();
        assertClosed(() -> steps.named("frames"), "named(..)");
    }

    @Test
    void optionsBeforeTheNextLayerAndBranchesFromAnOpenLayerStillWork() {
        MicroModel g = MicroModel.graph("g");
        ConvLayer conv = g.input(8, 8, 2).conv2d(4, 3, 3);
        conv.stride(2).padding(SAME).named("stem");
        ImageLayer a = conv.relu();
        ImageLayer b = conv.relu6();
        ModelSpec spec = g.add(a, b).globalAvgPool2d().dense(2).build();
        assertEquals("stem", spec.node(1).name());
        assertEquals(Shape.of(4, 4, 4), spec.node(1).outputShape());
    }

    private static void assertClosed(Executable change, String option) {
        LayerClosedException e = assertThrows(LayerClosedException.class, change);
        assertEquals(option, e.option());
        assertTrue(e.getMessage().contains("is closed") && e.getMessage().contains(option), e.getMessage());
    }
}
