package dev.mote.dsl;

import dev.mote.vocabulary.Padding;

import java.util.Objects;

/**
 * A just-declared 1-D convolution: set stride, padding, dilation or bias, or continue like any
 * {@link SequenceLayer}. The options are set before the next layer is chained; afterwards they throw
 * {@link LayerClosedException}.
 *
 * <pre>{@code
 * SequenceLayer x = sequence.conv1d(16, 5).stride(2).padding(Padding.SAME).batchNorm().relu();
 * }</pre>
 */
public final class Conv1DLayer extends SequenceLayer {

    Conv1DLayer(MicroModel model, int index) {
        super(model, index);
    }

    private LayerSpec.Conv1D spec() {
        return (LayerSpec.Conv1D) model.layer(index);
    }

    @Override
    public Conv1DLayer named(String name) {
        model.rename(index, name);
        return this;
    }

    /** The stride in steps (default 1). */
    public Conv1DLayer stride(int stride) {
        LayerSpec.Conv1D c = spec();
        model.replace(index, "stride(..)",
                new LayerSpec.Conv1D(c.filters(), c.kernel(), stride, c.padding(), c.dilation(), c.useBias()));
        return this;
    }

    /** {@link Padding#SAME} (output = ceil(steps / stride)) or {@link Padding#VALID} (no padding; the default). */
    public Conv1DLayer padding(Padding padding) {
        Objects.requireNonNull(padding, "padding");
        LayerSpec.Conv1D c = spec();
        model.replace(index, "padding(..)",
                new LayerSpec.Conv1D(c.filters(), c.kernel(), c.stride(), padding, c.dilation(), c.useBias()));
        return this;
    }

    /** The dilation in steps (default 1; needs stride 1). */
    public Conv1DLayer dilation(int dilation) {
        LayerSpec.Conv1D c = spec();
        model.replace(index, "dilation(..)",
                new LayerSpec.Conv1D(c.filters(), c.kernel(), c.stride(), c.padding(), dilation, c.useBias()));
        return this;
    }

    /** Drops the bias (a following batchNorm gives the exported layer one again when folded). */
    public Conv1DLayer withoutBias() {
        LayerSpec.Conv1D c = spec();
        model.replace(index, "withoutBias()",
                new LayerSpec.Conv1D(c.filters(), c.kernel(), c.stride(), c.padding(), c.dilation(), false));
        return this;
    }

    /** Batch normalization with Keras' defaults (epsilon 0.001, momentum 0.99), folded into this layer at export. */
    public SequenceLayer batchNorm() {
        return batchNorm(0.001, 0.99);
    }

    /** Batch normalization, folded into this layer's weights and bias at export. */
    public SequenceLayer batchNorm(double epsilon, double momentum) {
        return new SequenceLayer(model, model.append(new LayerSpec.BatchNorm(epsilon, momentum), index));
    }
}
