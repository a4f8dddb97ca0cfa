package dev.mote.dsl;

import dev.mote.vocabulary.Padding;

import java.util.Objects;

/**
 * A just-declared 2-D convolution: set stride, padding, dilation or bias, or continue like any {@link ImageLayer}.
 * The options are set before the next layer is chained; afterwards they throw {@link LayerClosedException}.
 *
 * <pre>{@code
 * ImageLayer x = image.conv2d(8, 3, 3).stride(2).padding(Padding.SAME).relu();
 * }</pre>
 */
public final class ConvLayer extends ImageLayer {

    ConvLayer(MicroModel model, int index) {
        super(model, index);
    }

    private LayerSpec.Conv2D spec() {
        return (LayerSpec.Conv2D) model.layer(index);
    }

    @Override
    public ConvLayer named(String name) {
        model.rename(index, name);
        return this;
    }

    /** The same stride along height and width (default 1). */
    public ConvLayer stride(int stride) {
        return stride(stride, stride);
    }

    /** The stride along height and width (default 1). */
    public ConvLayer stride(int strideH, int strideW) {
        LayerSpec.Conv2D c = spec();
        model.replace(index, "stride(..)", new LayerSpec.Conv2D(c.filters(), c.kernelH(), c.kernelW(),
                strideH, strideW, c.padding(), c.dilationH(), c.dilationW(), c.useBias()));
        return this;
    }

    /** {@link Padding#SAME} (output = ceil(input / stride)) or {@link Padding#VALID} (no padding; the default). */
    public ConvLayer padding(Padding padding) {
        Objects.requireNonNull(padding, "padding");
        LayerSpec.Conv2D c = spec();
        model.replace(index, "padding(..)", new LayerSpec.Conv2D(c.filters(), c.kernelH(), c.kernelW(),
                c.strideH(), c.strideW(), padding, c.dilationH(), c.dilationW(), c.useBias()));
        return this;
    }

    /** The same dilation along height and width (default 1; needs stride 1). */
    public ConvLayer dilation(int dilation) {
        return dilation(dilation, dilation);
    }

    /** The dilation along height and width (default 1; needs stride 1). */
    public ConvLayer dilation(int dilationH, int dilationW) {
        LayerSpec.Conv2D c = spec();
        model.replace(index, "dilation(..)", new LayerSpec.Conv2D(c.filters(), c.kernelH(), c.kernelW(),
                c.strideH(), c.strideW(), c.padding(), dilationH, dilationW, c.useBias()));
        return this;
    }

    /** Drops the bias (a following batchNorm gives the exported layer one again when folded). */
    public ConvLayer withoutBias() {
        LayerSpec.Conv2D c = spec();
        model.replace(index, "withoutBias()", new LayerSpec.Conv2D(c.filters(), c.kernelH(), c.kernelW(),
                c.strideH(), c.strideW(), c.padding(), c.dilationH(), c.dilationW(), false));
        return this;
    }

    /** Batch normalization with Keras' defaults (epsilon 0.001, momentum 0.99), folded into this layer at export. */
    public ImageLayer batchNorm() {
        return batchNorm(0.001, 0.99);
    }

    /** Batch normalization, folded into this layer's weights and bias at export. */
    public ImageLayer batchNorm(double epsilon, double momentum) {
        return new ImageLayer(model, model.append(new LayerSpec.BatchNorm(epsilon, momentum), index));
    }
}
