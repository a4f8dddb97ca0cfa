package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weights the exporter receives (TFLite layout, BatchNorm folded) compute what DL4J computes: a DL4J forward
 * pass equals a plain-Java NHWC forward pass over {@link TrainedModel}'s weights, on the way out (extract from a
 * float training network with BatchNorm layers) and on the way back in (load into a folded network).
 */
class LayoutRoundTripTest {

    static Stream<ModelSpec> specs() {
        return Stream.of(TestNets.mlp(), TestNets.cnn(), TestNets.paddedRegression(), TestNets.residual(),
                TestNets.graphFlatten(), TestNets.dropoutAfterBatchNorm(),
                TestNets.reshapes());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void dl4jForwardEqualsReferenceForwardOverExportedWeights(ModelSpec spec) {
        SpecNetwork net = TestNets.floatNetwork(spec, 7);
        TestNets.randomizeBatchNorm(net, 11);
        TrainedModel model = ParameterTransfer.extract(net, TestNets.unitRanges(spec),
                QuantizationChoices.RangeSource.TRAINING_DATA, Double.NaN);
        INDArray x = TestNets.randomFeatures(spec, 6, 3);
        INDArray dl4j = TfliteLayout.activationsToTflite(
                net.output(TfliteLayout.featuresToDl4j(x, spec.inputShape())), spec.outputShape());
        INDArray reloaded = Predictor.floatModel(model).predict(x);
        for (int i = 0; i < 6; i++) {
            float[] expected = ReferenceForward.output(spec, model, TestNets.row(x, i));
            assertClose(expected, TestNets.row(dl4j, i), spec.name() + " extracted, example " + i);
            assertClose(expected, TestNets.row(reloaded, i), spec.name() + " reloaded, example " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void everyNodeOutputMatchesInTfliteLayout(ModelSpec spec) {
        SpecNetwork net = TestNets.floatNetwork(spec, 5);
        TestNets.randomizeBatchNorm(net, 13);
        TrainedModel model = ParameterTransfer.extract(net, TestNets.unitRanges(spec),
                QuantizationChoices.RangeSource.TRAINING_DATA, Double.NaN);
        SpecNetwork folded = NetworkFactory.build(spec, NetworkFactory.Options.of(NetworkFactory.Mode.FOLDED, 1,
                1e-3, Loss.AUTO));
        ParameterTransfer.load(model, folded);
        INDArray x = TestNets.randomFeatures(spec, 2, 9);
        INDArray[] nodes = folded.nodeOutputs(TfliteLayout.featuresToDl4j(x, spec.inputShape()));
        for (int e = 0; e < 2; e++) {
            float[][] expected = ReferenceForward.run(spec, model, TestNets.row(x, e));
            for (int i = 0; i < expected.length - 1; i++) { // the last node may be inside the loss layer
                INDArray tflite = TfliteLayout.nodeActivationsToTflite(nodes[i], spec, i);
                float[] actual = tflite.reshape('c', new long[] {tflite.size(0), -1}).getRow(e).dup('c').toFloatVector();
                assertClose(expected[i], actual, spec.name() + " node " + spec.node(i).name());
            }
        }
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            float tol = 1e-4f * Math.max(1f, Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }
}
