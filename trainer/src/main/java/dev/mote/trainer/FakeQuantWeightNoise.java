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
        /** One scale per output channel, axis 1 of DL4J's {@code [in, out, kh, kw]} (Conv2DTranspose). */
        PER_CHANNEL_SECOND,
        /** One scale per output channel {@code c * m + j} of DL4J's {@code [kh, kw, c, m]} (DepthwiseConv2D). */
        PER_CHANNEL_TRAILING,
        /**
         * An LSTM's {@code W [f, 4u]} or {@code RW [u, 4u]}: one scale per column block of {@code u} (one gate),
         * i.e. per TFLite gate matrix, as the exporter quantizes each of the eight per tensor.
         */
        LSTM_GATES
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

    /** The fake quantization of an LSTM's eight gate matrices, each with its own symmetric int8 scale. */
    static FakeQuantWeightNoise lstm() {
        return new FakeQuantWeightNoise(Granularity.LSTM_GATES);
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
        if (!"W".equals(paramKey) && !(granularity == Granularity.LSTM_GATES && "RW".equals(paramKey))) {
            return param;
        }
        return fakeQuantize(param, granularity);
    }

    static INDArray fakeQuantize(INDArray w, Granularity granularity) {
        if (granularity == Granularity.PER_CHANNEL_SECOND) {
            INDArray leading = w.permute(1, 0, 2, 3).dup('c');
            return fakeQuantize(leading, Granularity.PER_CHANNEL_LEADING).permute(1, 0, 2, 3).dup('c');
        }
        float[] values = TfliteLayout.flat(w);
        switch (granularity) {
            case PER_TENSOR -> FakeQuant.fakeQuantizeWeights(values, 1, true);
            case PER_CHANNEL_LEADING -> FakeQuant.fakeQuantizeWeights(values, (int) w.size(0), true);
            case PER_CHANNEL_TRAILING -> FakeQuant.fakeQuantizeWeights(values,
                    (int) (w.size(w.rank() - 2) * w.size(w.rank() - 1)), false);
            case LSTM_GATES -> fakeQuantizeGateBlocks(values, (int) w.size(1));
            default -> throw new IllegalStateException(granularity.toString());
        }
        return Nd4j.create(values, w.shape(), 'c').castTo(w.dataType());
    }

    /** Row-major {@code [rows, columns]} with four column blocks, each fake-quantized with its own scale. */
    private static void fakeQuantizeGateBlocks(float[] values, int columns) {
        int block = columns / 4;
        float[] maxAbs = new float[4];
        for (int i = 0; i < values.length; i++) {
            int g = (i % columns) / block;
            maxAbs[g] = Math.max(maxAbs[g], Math.abs(values[i]));
        }
        float[] scales = new float[4];
        for (int g = 0; g < 4; g++) {
            scales[g] = FakeQuant.weightScale(maxAbs[g]);
        }
        for (int i = 0; i < values.length; i++) {
            float s = scales[(i % columns) / block];
            values[i] = FakeQuant.quantizeWeight(values[i], s) * s;
        }
    }

    @Override
    public IWeightNoise clone() {
        return new FakeQuantWeightNoise(granularity);
    }
}
