package dev.mote.exporter;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.InvalidModelSpecException;
import dev.mote.dsl.InvalidModelSpecException.Rule;
import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelParameters;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.Shape;
import dev.mote.dsl.ValueRange;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Specs and parameters the exporter must refuse, with messages that name the node and the rule. */
class ExportValidationTest {

    private static ExportException refused(ModelSpec spec, ModelParameters p) {
        return assertThrows(ExportException.class, () -> TfliteExporter.export(spec, p));
    }

    private static void assertMentions(ExportException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    @Test
    void wrongWeightCountNamesTheNode() {
        ModelSpec spec = TestSpecs.input("m", 3).then(new LayerSpec.Dense(2, true)).build();
        RandomParameters p = new RandomParameters(spec, 1);
        p.setWeights(1, new float[5]);
        assertMentions(refused(spec, p), "node 1", "dense_1", "needs 6 weights", "have 5");
        p.setWeights(1, null);
        assertMentions(refused(spec, p), "node 1", "none");
    }

    @Test
    void wrongBiasLengthAndNonFiniteValues() {
        ModelSpec spec = TestSpecs.input("m", 3).then(new LayerSpec.Dense(2, true)).build();
        RandomParameters p = new RandomParameters(spec, 1);
        p.setBias(1, new float[3]);
        assertMentions(refused(spec, p), "node 1", "bias of 2");
        p.setBias(1, new float[2]);
        p.setWeights(1, new float[] {0, 1, Float.NaN, 0, 0, 0});
        assertMentions(refused(spec, p), "node 1", "non-finite weights");
    }

    @Test
    void missingRangeNamesTheNode() {
        ModelSpec spec = TestSpecs.input("m", 3).then(new LayerSpec.Dense(2, true)).build();
        RandomParameters p = new RandomParameters(spec, 1);
        p.setRange(1, null);
        assertMentions(refused(spec, p), "node 1", "no output range");
        assertTrue(TfliteExporter.export(spec, p, ExportOptions.float32()).size() > 0, "float export needs no ranges");
    }

    @Test
    void batchNormMustFollowALinearLayerThatNothingElseReads() {
        // such specs cannot be made, so they never reach the exporter
        TestSpecs a = TestSpecs.input("bn_after_relu", 4);
        a.add(new LayerSpec.Dense(4, true));
        a.add(LayerSpec.Activation.of(ActivationKind.RELU));
        a.add(new LayerSpec.BatchNorm(1e-3, 0.99));
        assertMentions(unbuildable(a), Rule.BATCH_NORM_PLACEMENT, 3, "must directly follow", "ReLU");
        TestSpecs b = TestSpecs.input("bn_shared", 4);
        int d = b.add(new LayerSpec.Dense(4, true));
        int bn = b.add(new LayerSpec.BatchNorm(1e-3, 0.99), d);
        b.add(new LayerSpec.Add(), bn, d);
        assertMentions(unbuildable(b), Rule.BATCH_NORM_PLACEMENT, 2, "which 2 layers read");
    }

    @Test
    void malformedSpecsCannotBeMade() {
        Shape s = Shape.of(2);
        assertMentions(unbuildable("x", List.of(new LayerNode(0, "d", new LayerSpec.Dense(2, true), new int[0], s))),
                Rule.GRAPH_STRUCTURE, 0, "must be the input");
        assertMentions(unbuildable("x", List.of(
                new LayerNode(0, "in", new LayerSpec.Input(s), new int[0], s),
                new LayerNode(1, "a", new LayerSpec.Add(), new int[] {0, 2}, s),
                new LayerNode(2, "b", new LayerSpec.Dense(2, true), new int[] {0}, s))),
                Rule.GRAPH_STRUCTURE, 1, "reads layer 2");
        assertMentions(unbuildable("x", List.of(
                new LayerNode(0, "in", new LayerSpec.Input(s), new int[0], s),
                new LayerNode(1, "a", new LayerSpec.Add(), new int[] {0}, s))),
                Rule.GRAPH_STRUCTURE, 1, "expected 2");
        assertMentions(unbuildable(TestSpecs.input("nothing", 2).then(new LayerSpec.Dropout(0.5))),
                Rule.GRAPH_STRUCTURE, -1, "no layer that becomes a TFLite operator");
    }

    private static InvalidModelSpecException unbuildable(TestSpecs specs) {
        return assertThrows(InvalidModelSpecException.class, specs::build);
    }

    private static InvalidModelSpecException unbuildable(String name, List<LayerNode> nodes) {
        return assertThrows(InvalidModelSpecException.class, () -> ModelSpec.of(name, nodes));
    }

    private static void assertMentions(InvalidModelSpecException e, Rule rule, int layer, String... parts) {
        assertEquals(rule, e.rule(), e.getMessage());
        assertEquals(layer, e.layerIndex(), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    @Test
    void unusableRangeIsRefused() {
        ModelSpec spec = TestSpecs.input("m", 3).then(new LayerSpec.Dense(2, true)).build();
        RandomParameters p = new RandomParameters(spec, 1);
        p.setRange(1, new ValueRange(-Float.MAX_VALUE, Float.MAX_VALUE));
        assertMentions(refused(spec, p), "node 1", "unusable output range");
    }
}
