package dev.mote.dsl;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import static dev.mote.vocabulary.Padding.SAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Specs are values: equal when declared alike, and valid whichever public way they are made. */
class ModelSpecEqualityTest {

    private static ModelSpec residual(String name) {
        MicroModel g = MicroModel.graph(name);
        ImageLayer x = g.input(12, 10, 1).conv2d(4, 3, 3).padding(SAME).relu();
        ImageLayer y = x.conv2d(4, 3, 3).padding(SAME).batchNorm().relu().dropout(0.1);
        return g.add(x, y).leakyRelu(0.2f).globalAvgPool2d().reshape(2, 2).flatten().dense(3).softmax().build();
    }

    @Test
    void twoIdenticalDeclarationsAreEqualAndHashAlike() {
        ModelSpec a = residual("res");
        ModelSpec b = residual("res");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        for (int i = 0; i < a.nodes().size(); i++) {
            assertEquals(a.node(i), b.node(i));
            assertEquals(a.node(i).hashCode(), b.node(i).hashCode());
            assertEquals(a.node(i).layer(), b.node(i).layer());
            assertEquals(a.node(i).outputShape().hashCode(), b.node(i).outputShape().hashCode());
        }
        assertEquals(a.toString(), b.toString());
    }

    @Test
    void declarationsThatDifferAreNotEqual() {
        assertNotEquals(residual("res"), residual("res_2"));
        ModelSpec one = MicroModel.sequential("m").input(3).dense(2).build();
        ModelSpec other = MicroModel.sequential("m").input(3).dense(2).withoutBias().build();
        assertNotEquals(one, other);
        MicroModel g = MicroModel.graph("g");
        FlatLayer in = g.input(4);
        FlatLayer d = in.dense(4);
        ModelSpec inputsDiffer = g.add(d, in).dense(1).build();
        MicroModel h = MicroModel.graph("g");
        FlatLayer in2 = h.input(4);
        FlatLayer d2 = in2.dense(4);
        assertNotEquals(inputsDiffer, h.add(in2, d2).dense(1).build());
    }

    @Test
    void aSpecHasNoPublicConstructorAndOfValidates() {
        assertEquals(0, ModelSpec.class.getConstructors().length,
                Arrays.toString(ModelSpec.class.getConstructors()));
        assertTrue(Arrays.stream(ModelSpec.class.getDeclaredConstructors())
                .noneMatch(c -> Modifier.isPublic(c.getModifiers())));
        ModelSpec good = residual("res");
        assertEquals(good, ModelSpec.of("res", good.nodes()));
        Shape s = Shape.of(4);
        List<LayerNode> softmaxInside = List.of(
                new LayerNode(0, "in", new LayerSpec.Input(s), new int[0], s),
                new LayerNode(1, "soft", LayerSpec.Activation.of(ActivationKind.SOFTMAX), new int[] {0}, s),
                new LayerNode(2, "d", new LayerSpec.Dense(4, true), new int[] {1}, s));
        InvalidModelSpecException e = assertThrows(InvalidModelSpecException.class,
                () -> ModelSpec.of("bad", softmaxInside));
        assertEquals(1, e.layerIndex());
        assertEquals(InvalidModelSpecException.Rule.SOFTMAX_PLACEMENT, e.rule());
        List<LayerNode> wrongIndex = List.of(good.node(0), new LayerNode(7, "x", good.node(1).layer(), new int[] {0},
                good.node(1).outputShape()));
        e = assertThrows(InvalidModelSpecException.class, () -> ModelSpec.of("bad", wrongIndex));
        assertEquals(InvalidModelSpecException.Rule.GRAPH_STRUCTURE, e.rule());
        assertThrows(InvalidModelSpecException.class, () -> ModelSpec.of(" ", good.nodes()));
    }
}
