package dev.mote.dsl;

import dev.mote.vocabulary.Padding;

import java.util.Objects;

/**
 * A just-declared 1-D max or average pooling: set stride or padding, or continue like any {@link SequenceLayer}.
 * The options are set before the next layer is chained; afterwards they throw {@link LayerClosedException}.
 *
 * <pre>{@code
 * SequenceLayer pooled = sequence.maxPool1d(3).stride(2).padding(Padding.SAME);
 * }</pre>
 */
public final class Pool1DLayer extends SequenceLayer {

    Pool1DLayer(MicroModel model, int index) {
        super(model, index);
    }

    @Override
    public Pool1DLayer named(String name) {
        model.rename(index, name);
        return this;
    }

    /** The stride in steps (default: the window size). */
    public Pool1DLayer stride(int stride) {
        LayerSpec layer = model.layer(index);
        if (layer instanceof LayerSpec.MaxPool1D p) {
            model.replace(index, "stride(..)", new LayerSpec.MaxPool1D(p.pool(), stride, p.padding()));
        } else {
            LayerSpec.AvgPool1D p = (LayerSpec.AvgPool1D) layer;
            model.replace(index, "stride(..)", new LayerSpec.AvgPool1D(p.pool(), stride, p.padding()));
        }
        return this;
    }

    /** {@link Padding#SAME} (output = ceil(steps / stride)) or {@link Padding#VALID} (no padding; the default). */
    public Pool1DLayer padding(Padding padding) {
        Objects.requireNonNull(padding, "padding");
        LayerSpec layer = model.layer(index);
        if (layer instanceof LayerSpec.MaxPool1D p) {
            model.replace(index, "padding(..)", new LayerSpec.MaxPool1D(p.pool(), p.stride(), padding));
        } else {
            LayerSpec.AvgPool1D p = (LayerSpec.AvgPool1D) layer;
            model.replace(index, "padding(..)", new LayerSpec.AvgPool1D(p.pool(), p.stride(), padding));
        }
        return this;
    }
}
