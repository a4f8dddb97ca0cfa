package dev.mote.trainer;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.ModelParameters;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer's int8 simulation (the DL4J fake-quant network) equals a plain-Java forward pass over the
 * quantize→dequantize'd TFLite-layout weights with every int8 tensor quantize→dequantize'd at its range.
 */
class Int8SimulationTest {

    static Stream<ModelSpec> specs() {
        // VALID average pooling: SAME pooling divides border windows by 4 or 6, which makes exact half-step ties
        // that DL4J's and the reference's float arithmetic break differently (seen: 33 of 60 outputs equal, the
        // rest within 4 output steps); with 9-element windows every output is equal.
        return Stream.of(TestNets.mlp(), TestNets.cnn(), TestNets.paddedRegression(dev.mote.vocabulary.Padding.VALID),
                TestNets.residual(), TestNets.graphFlatten(), TestNets.dropoutAfterBatchNorm(),
                TestNets.reshapes());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void fakeQuantNetworkEqualsQuantizeDequantizeReference(ModelSpec spec) {
        INDArray x = TestNets.randomFeatures(spec, 30, 23);
        TrainedModel model = Calibrator.minMax().calibrate(CalibratorTest.randomModel(spec), x);
        INDArray simulated = Predictor.int8Simulation(model).predict(x);
        ModelParameters quantizedWeights = quantizedWeights(model);
        int close = 0;
        int total = 0;
        for (int e = 0; e < 30; e++) {
            float[] expected = referenceInt8(spec, model, quantizedWeights, TestNets.row(x, e));
            float[] actual = TestNets.row(simulated, e);
            for (int i = 0; i < expected.length; i++) {
                float d = Math.abs(expected[i] - actual[i]);
                close += d <= 1e-5f * Math.max(1f, Math.abs(expected[i])) ? 1 : 0;
                total++;
            }
        }
        assertTrue(close == total, spec.name() + ": only " + close + " of " + total + " equal");
    }

    /** The reference forward pass with fake-quant after every node whose output is an int8 tensor. */
    static float[] referenceInt8(ModelSpec spec, TrainedModel model, ModelParameters weights, float[] input) {
        ModelParameters quantizing = new ModelParameters() {
            @Override
            public float[] weights(int nodeIndex) {
                return weights.weights(nodeIndex);
            }

            @Override
            public float[] bias(int nodeIndex) {
                return weights.bias(nodeIndex);
            }

            @Override
            public ValueRange outputRange(int nodeIndex) {
                return model.outputRange(nodeIndex);
            }
        };
        return ReferenceForward.runFakeQuant(spec, quantizing, model.quantization(), input);
    }

    static ModelParameters quantizedWeights(TrainedModel model) {
        return new ModelParameters() {
            @Override
            public float[] weights(int nodeIndex) {
                float[] w = model.weights(nodeIndex);
                if (w == null) {
                    return null;
                }
                LayerNode node = model.spec().node(nodeIndex);
                return FakeQuantTest.quantizeDequantize(w, model.weightShape(nodeIndex), node.layer());
            }

            @Override
            public float[] bias(int nodeIndex) {
                return model.bias(nodeIndex);
            }

            @Override
            public ValueRange outputRange(int nodeIndex) {
                return model.outputRange(nodeIndex);
            }
        };
    }
}
