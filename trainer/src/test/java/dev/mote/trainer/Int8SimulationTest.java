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
        return Stream.of(TestNets.mlp(), TestNets.cnn(), TestNets.paddedRegression(), TestNets.residual(),
                TestNets.graphFlatten());
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
        float worst = 0;
        for (int e = 0; e < 30; e++) {
            float[] expected = referenceInt8(spec, model, quantizedWeights, TestNets.row(x, e));
            float[] actual = TestNets.row(simulated, e);
            float step = FakeQuant.ActivationParams.of(model.outputRange(spec.nodes().size() - 1)).scale();
            for (int i = 0; i < expected.length; i++) {
                float d = Math.abs(expected[i] - actual[i]);
                worst = Math.max(worst, d / step);
                close += d <= 1e-5f * Math.max(1f, Math.abs(expected[i])) ? 1 : 0;
                total++;
            }
        }
        // float summation order may flip a rounding at an exact boundary now and then; nothing more
        assertTrue(close >= total * 0.95, spec.name() + ": only " + close + " of " + total + " equal");
        assertTrue(worst <= 3f, spec.name() + ": off by " + worst + " output steps");
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
