package dev.mote.trainer;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An identity activation that fake-quantizes its input to asymmetric per-tensor int8 (quantize → dequantize),
 * placed after every node whose output is an int8 tensor of the exported model. In training it first folds the
 * batch's min/max into the {@link RangeTracker}. Backward it is the straight-through estimator: the gradient
 * passes unchanged where the input lies inside the representable range and is zero where it was clamped.
 */
final class FakeQuantActivation extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    private final int nodeIndex;
    private final transient RangeTracker tracker;
    private final boolean observes;

    FakeQuantActivation(int nodeIndex, RangeTracker tracker) {
        this(nodeIndex, tracker, true);
    }

    /**
     * @param observes false for a tensor that shares another tensor's range (average pooling rounds to its
     *                 input's grid) and must not move it
     */
    FakeQuantActivation(int nodeIndex, RangeTracker tracker, boolean observes) {
        this.nodeIndex = nodeIndex;
        this.tracker = tracker;
        this.observes = observes;
    }

    /** False if this fake-quant only reuses another tensor's range. */
    boolean observes() {
        return observes;
    }

    int nodeIndex() {
        return nodeIndex;
    }

    RangeTracker tracker() {
        return tracker;
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        float[] values = TfliteLayout.flat(in);
        if (observes && (training || !tracker.initialized())) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float v : values) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            tracker.observe(lo, hi);
        }
        FakeQuant.ActivationParams p = tracker.params();
        for (int i = 0; i < values.length; i++) {
            values[i] = p.fakeQuantize(values[i]);
        }
        // a new array: DL4J applies activations in place at inference, which would overwrite the previous
        // node's output that calibration reads
        return Workspaces.createBeside(in, values);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        FakeQuant.ActivationParams p = tracker.params();
        float lo = p.min();
        float hi = p.max();
        float[] x = TfliteLayout.flat(in);
        float[] g = TfliteLayout.flat(epsilon);
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] >= lo && x[i] <= hi)) {
                g[i] = 0f;
            }
        }
        INDArray grad = Nd4j.create(g, epsilon.shape(), 'c').castTo(epsilon.dataType());
        return new Pair<>(grad, null);
    }

    @Override
    public String toString() {
        return "fakequant(node " + nodeIndex + ")";
    }
}
