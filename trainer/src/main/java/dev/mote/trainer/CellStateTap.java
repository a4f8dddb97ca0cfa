package dev.mote.trainer;

import dev.mote.dsl.Shape;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * QAT's cell-state range of one LSTM: an identity activation on the LSTM's (fake-quantized) input that, for every
 * training batch, runs {@link LstmForward} with the LSTM's current fake-quantized weights and folds the batch's
 * cell-state minimum and maximum into a moving-average {@link RangeTracker}, as the fake-quant activations track
 * the activation ranges. Gradients pass unchanged. The int16 cell state and the LSTM's internal int16 gates are not
 * fake-quantized (only tracked): the exporter chooses the cell state's power-of-two scale from this range.
 */
final class CellStateTap extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    private final int nodeIndex;
    private final int units;
    private final int features;
    private final transient RangeTracker tracker;
    /** The DL4J LSTM layer whose weights this tap reads, set once the network is initialized. */
    private transient Layer lstm;

    CellStateTap(int nodeIndex, int units, int features, RangeTracker tracker) {
        this.nodeIndex = nodeIndex;
        this.units = units;
        this.features = features;
        this.tracker = tracker;
    }

    int nodeIndex() {
        return nodeIndex;
    }

    RangeTracker tracker() {
        return tracker;
    }

    void bind(Layer lstmLayer) {
        this.lstm = lstmLayer;
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        if (lstm != null && (training || !tracker.initialized())) {
            INDArray w = FakeQuantWeightNoise.fakeQuantize(lstm.getParam("W"),
                    FakeQuantWeightNoise.Granularity.LSTM_GATES);
            INDArray rw = FakeQuantWeightNoise.fakeQuantize(lstm.getParam("RW"),
                    FakeQuantWeightNoise.Granularity.LSTM_GATES);
            float[] weights = TfliteLayout.lstmWeightsToTflite(w, rw);
            float[] bias = TfliteLayout.lstmBiasToTflite(lstm.getParam("b"));
            int n = (int) in.size(0);
            int steps = (int) (in.length() / n / features);
            float[] x = TfliteLayout.flat(TfliteLayout.activationsToTflite(in, Shape.of(steps, features)));
            float[] minMax = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
            LstmForward.cellStateRange(weights, bias, units, features, x, n, steps, minMax);
            tracker.observe(minMax[0], minMax[1]);
        }
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        return new Pair<>(epsilon, null);
    }

    @Override
    public String toString() {
        return "cellstate(node " + nodeIndex + ")";
    }
}
