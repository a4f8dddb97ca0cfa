package dev.mote.trainer;

import dev.mote.dsl.plan.PlannedTensor;
import dev.mote.dsl.plan.QuantRule;
import dev.mote.dsl.plan.TensorPlan;

import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calibrated ranges equal the ranges of a plain-Java forward pass, after TFLite's range rules. */
class CalibratorTest {

    static Stream<ModelSpec> specs() {
        return Stream.of(TestNets.cnn(), TestNets.paddedRegression(), TestNets.residual());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void minMaxRangesAreTheObservedRangesWithTfliteRules(ModelSpec spec) {
        TrainedModel model = randomModel(spec);
        INDArray x = TestNets.randomFeatures(spec, 40, 17);
        TrainedModel calibrated = Calibrator.minMax().batchSize(16).calibrate(model, x);
        assertEquals(QuantizationChoices.RangeSource.MIN_MAX, calibrated.quantization().rangeSource());
        float[] min = new float[spec.nodes().size()];
        float[] max = new float[spec.nodes().size()];
        for (int e = 0; e < 40; e++) {
            float[][] nodes = ReferenceForward.run(spec, model, TestNets.row(x, e));
            for (int i = 0; i < nodes.length; i++) {
                for (float v : nodes[i]) {
                    min[i] = Math.min(min[i], v); // starts at 0: ranges contain 0
                    max[i] = Math.max(max[i], v);
                }
            }
        }
        TensorPlan plan = TensorPlan.of(spec);
        for (int i = 0; i < min.length; i++) {
            PlannedTensor tensor = plan.tensorOf(i);
            int carrier = tensor.producerNode();
            int last = tensor.valueNode();
            LayerSpec layer = spec.node(carrier).layer();
            ValueRange r = calibrated.outputRange(i);
            String name = spec.node(i).name();
            if (tensor.rule() == QuantRule.FIXED) {
                assertEquals(ValueRange.of(tensor.fixedRange()), r, name);
            } else if (tensor.rule() == QuantRule.SAME_AS_INPUT) {
                assertEquals(calibrated.outputRange(spec.node(carrier).input()), r, name);
            } else if (!(layer instanceof LayerSpec.Concatenate) && !isConcatInput(spec, carrier)) {
                assertEquals(min[last], r.min(), 1e-4 * Math.max(1, Math.abs(min[last])), name + " min");
                assertEquals(max[last], r.max(), 1e-4 * Math.max(1, Math.abs(max[last])), name + " max");
            }
        }
    }

    @Test
    void concatenationAndItsInputsShareOneRange() {
        ModelSpec spec = TestNets.residual();
        TrainedModel calibrated = Calibrator.minMax().calibrate(randomModel(spec),
                TestNets.randomFeatures(spec, 20, 3));
        for (int i = 0; i < spec.nodes().size(); i++) {
            if (spec.node(i).layer() instanceof LayerSpec.Concatenate) {
                for (int in : spec.node(i).inputs()) {
                    assertEquals(calibrated.outputRange(i), calibrated.outputRange(in));
                }
            }
        }
    }

    @Test
    void percentileClipsOutliersThatMinMaxKeeps() {
        ModelSpec spec = TestNets.mlp();
        TrainedModel model = randomModel(spec);
        INDArray x = TestNets.randomFeatures(spec, 1000, 5);
        x.putScalar(0, 0, 1000f);
        TrainedModel minMax = Calibrator.minMax().calibrate(model, x);
        TrainedModel clipped = Calibrator.percentile(99.9).calibrate(model, x);
        assertEquals(1000f, minMax.inputRange().max(), 0f);
        assertTrue(clipped.inputRange().max() < 5f, clipped.inputRange().toString());
        assertEquals(QuantizationChoices.RangeSource.PERCENTILE, clipped.quantization().rangeSource());
        assertEquals(99.9, clipped.quantization().percentile(), 0);
    }

    private static boolean isConcatInput(ModelSpec spec, int node) {
        for (var n : spec.nodes()) {
            if (n.layer() instanceof LayerSpec.Concatenate) {
                for (int in : n.inputs()) {
                    if (in == node) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static TrainedModel randomModel(ModelSpec spec) {
        SpecNetwork net = TestNets.floatNetwork(spec, 31);
        TestNets.randomizeBatchNorm(net, 32);
        return ParameterTransfer.extract(net, TestNets.unitRanges(spec),
                QuantizationChoices.RangeSource.TRAINING_DATA, Double.NaN);
    }
}
