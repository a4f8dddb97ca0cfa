package dev.mote.trainer;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code x * relu6(x + 3) / 6} (TFLite's HARD_SWISH), which DL4J does not provide. */
final class HardSwishActivation extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        float[] x = TfliteLayout.flat(in);
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] * Math.min(6f, Math.max(0f, x[i] + 3f)) / 6f;
        }
        return Workspaces.createBeside(in, x);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        float[] x = TfliteLayout.flat(in);
        float[] g = TfliteLayout.flat(epsilon);
        for (int i = 0; i < x.length; i++) {
            float d = x[i] < -3f ? 0f : x[i] > 3f ? 1f : (2f * x[i] + 3f) / 6f;
            g[i] *= d;
        }
        return new Pair<>(Nd4j.create(g, epsilon.shape(), 'c').castTo(epsilon.dataType()), null);
    }

    @Override
    public String toString() {
        return "hardswish";
    }
}
