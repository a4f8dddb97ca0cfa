package dev.mote.dsl;

import dev.mote.vocabulary.Padding;

import java.util.Objects;

/**
 * A just-declared max or average pooling: set stride or padding, or continue like any {@link ImageLayer}. The
 * options are set before the next layer is chained; afterwards they throw {@link LayerClosedException}.
 *
 * <pre>{@code
 * ImageLayer pooled = image.maxPool2d(3, 3).stride(2).padding(Padding.SAME);
 * }</pre>
 */
public final class PoolLayer extends ImageLayer {

    PoolLayer(MicroModel model, int index) {
        super(model, index);
    }

    @Override
    public PoolLayer named(String name) {
        model.rename(index, name);
        return this;
    }

    /** The same stride along height and width (default: the window size). */
    public PoolLayer stride(int stride) {
        return stride(stride, stride);
    }

    /** The stride along height and width (default: the window size). */
    public PoolLayer stride(int strideH, int strideW) {
        LayerSpec layer = model.layer(index);
        if (layer instanceof LayerSpec.MaxPool2D p) {
            model.replace(index, "stride(..)", new LayerSpec.MaxPool2D(p.poolH(), p.poolW(),
                    strideH, strideW, p.padding()));
        } else {
            LayerSpec.AvgPool2D p = (LayerSpec.AvgPool2D) layer;
            model.replace(index, "stride(..)", new LayerSpec.AvgPool2D(p.poolH(), p.poolW(),
                    strideH, strideW, p.padding()));
        }
        return this;
    }

    /** {@link Padding#SAME} (output = ceil(input / stride)) or {@link Padding#VALID} (no padding; the default). */
    public PoolLayer padding(Padding padding) {
        Objects.requireNonNull(padding, "padding");
        LayerSpec layer = model.layer(index);
        if (layer instanceof LayerSpec.MaxPool2D p) {
            model.replace(index, "padding(..)", new LayerSpec.MaxPool2D(p.poolH(), p.poolW(),
                    p.strideH(), p.strideW(), padding));
        } else {
            LayerSpec.AvgPool2D p = (LayerSpec.AvgPool2D) layer;
            model.replace(index, "padding(..)", new LayerSpec.AvgPool2D(p.poolH(), p.poolW(),
                    p.strideH(), p.strideW(), padding));
        }
        return this;
    }
}
