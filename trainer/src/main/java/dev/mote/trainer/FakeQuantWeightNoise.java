package dev.mote.trainer;

import dev.mote.dsl.plan.PlannedWeights;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fake-quantizes a layer's weights to symmetric int8 in the forward pass with a straight-through estimator.
 *
 * <p>DL4J uses the array this returns for the forward pass and the backward pass of the layer, while the update
 * is applied to the float parameters: the gradient computed at the quantized weights flows unchanged into the
 * float master weights (the straight-through estimator). Biases pass unchanged.
 */
final class FakeQuantWeightNoise implements IWeightNoise {

    private static final long serialVersionUID = 1L;

    /** How a layer's DL4J weight array is split into quantization channels. */
    enum Granularity {
        /** One scale for the whole tensor (Dense). */
        PER_TENSOR,
        /** One scale per output channel, axis 0 of DL4J's {@code [out, in, kh, kw]} (Conv2D). */
        PER_CHANNEL_LEADING,
        /** One scale per output channel {@code c * m + j} of DL4J's {@code [kh, kw, c, m]} (DepthwiseConv2D). */
        PER_CHANNEL_TRAILING
    }

    private Granularity granularity;

    /**
     * The fake quantization of the plan's weights, in DL4J's layout: per tensor where the plan quantizes per
     * tensor, else per output channel on the axis DL4J keeps that channel in.
     */
    static FakeQuantWeightNoise of(PlannedWeights weights) {
        if (weights.channelAxis() < 0) {
            return new FakeQuantWeightNoise(Granularity.PER_TENSOR);
        }
        return new FakeQuantWeightNoise(weights.layout() == PlannedWeights.Layout.ONE_HEIGHT_WIDTH_CHANNELS
                ? Granularity.PER_CHANNEL_TRAILING : Granularity.PER_CHANNEL_LEADING);
    }

    FakeQuantWeightNoise() {
        this(Granularity.PER_TENSOR);
    }

    FakeQuantWeightNoise(Granularity granularity) {
        this.granularity = granularity;
    }

    @Override
    public INDArray getParameter(Layer layer, String paramKey, int iteration, int epoch, boolean train,
                                 LayerWorkspaceMgr workspaceMgr) {
        INDArray param = layer.getParam(paramKey);
        if (!"W".equals(paramKey)) {
            return param;
        }
        return fakeQuantize(param, granularity);
    }

    static INDArray fakeQuantize(INDArray w, Granularity granularity) {
        float[] values = TfliteLayout.flat(w);
        switch (granularity) {
            case PER_TENSOR -> FakeQuant.fakeQuantizeWeights(values, 1, true);
            case PER_CHANNEL_LEADING -> FakeQuant.fakeQuantizeWeights(values, (int) w.size(0), true);
            case PER_CHANNEL_TRAILING -> FakeQuant.fakeQuantizeWeights(values,
                    (int) (w.size(w.rank() - 2) * w.size(w.rank() - 1)), false);
            default -> throw new IllegalStateException(granularity.toString());
        }
        return Nd4j.create(values, w.shape(), 'c').castTo(w.dataType());
    }

    @Override
    public IWeightNoise clone() {
        return new FakeQuantWeightNoise(granularity);
    }
}
