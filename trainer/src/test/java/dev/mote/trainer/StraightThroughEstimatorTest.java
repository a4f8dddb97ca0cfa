package dev.mote.trainer;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.ModelSpec;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradients flow through fake-quantized weights and activations into the float master weights. */
class StraightThroughEstimatorTest {

    @Test
    void everyLinearLayerGetsANonZeroWeightGradientAndLearns() {
        ModelSpec spec = TestNets.cnn();
        SpecNetwork floatNet = TestNets.floatNetwork(spec, 21);
        TrainedModel model = ParameterTransfer.extract(floatNet, TestNets.unitRanges(spec),
                QuantizationChoices.RangeSource.TRAINING_DATA, Double.NaN);
        INDArray x = TestNets.randomFeatures(spec, 16, 5);
        model = Calibrator.minMax().calibrate(model, x);
        SpecNetwork qat = NetworkFactory.build(spec, new NetworkFactory.Options(NetworkFactory.Mode.FAKE_QUANT, 1,
                1e-2, Loss.AUTO, ranges(model), 0.99));
        ParameterTransfer.load(model, qat);
        INDArray labels = Nd4j.zeros(16, 5);
        for (int i = 0; i < 16; i++) {
            labels.putScalar(i, i % 5, 1f);
        }
        DataSet batch = new DataSet(TfliteLayout.featuresToDl4j(x, spec.inputShape()), labels);
        MultiLayerNetwork net = (MultiLayerNetwork) qat.model();
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();
        Gradient g = net.gradient();
        int linear = 0;
        for (LayerNode node : spec.nodes()) {
            if (model.weightShape(node.index()) != null) {
                String key = net.getLayers()[indexOf(net, qat.layer(node.index()))].getIndex() + "_W";
                INDArray grad = g.getGradientFor(key);
                assertTrue(grad.norm2Number().doubleValue() > 0, node.name() + " weight gradient is zero");
                linear++;
            }
        }
        assertEquals(3, linear);
        INDArray before = qat.params().dup();
        double firstLoss = qat.score(batch);
        for (int i = 0; i < 20; i++) {
            qat.fit(batch);
        }
        assertFalse(before.equalsWithEps(qat.params(), 1e-7), "float weights did not change");
        assertTrue(qat.score(batch) < firstLoss, "loss did not decrease through fake-quant: " + firstLoss
                + " → " + qat.score(batch));
    }

    private static int indexOf(MultiLayerNetwork net, org.deeplearning4j.nn.api.Layer layer) {
        for (int i = 0; i < net.getLayers().length; i++) {
            if (net.getLayers()[i] == layer) {
                return i;
            }
        }
        throw new AssertionError("layer not in network");
    }

    static dev.mote.dsl.ValueRange[] ranges(TrainedModel model) {
        dev.mote.dsl.ValueRange[] r = new dev.mote.dsl.ValueRange[model.spec().nodes().size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = model.outputRange(i);
        }
        return r;
    }
}
