package dev.mote.trainer;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Applies a DL4J activation to a copy of its input. DL4J's {@code ActivationLayer} applies activations in place
 * at inference, overwriting the previous layer's output; calibration reads every node's output, so activation
 * layers here never write into their input.
 */
final class OutOfPlaceActivation extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    private final IActivation inner;

    OutOfPlaceActivation(IActivation inner) {
        this.inner = inner;
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return inner.getActivation(Workspaces.copyBeside(in), training);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        return inner.backprop(in, epsilon);
    }

    @Override
    public String toString() {
        return inner.toString();
    }
}
