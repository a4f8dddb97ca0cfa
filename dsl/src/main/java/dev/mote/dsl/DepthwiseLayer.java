package dev.mote.dsl;

import dev.mote.vocabulary.Padding;

import java.util.Objects;

/**
 * A just-declared depthwise convolution: set depth multiplier, stride, padding, dilation or bias, or continue like
 * any {@link ImageLayer}. The options are set before the next layer is chained; afterwards they throw
 * {@link LayerClosedException}.
 *
 * <pre>{@code
 * ImageLayer x = image.depthwiseConv2d(3, 3).depthMultiplier(2).padding(Padding.SAME).relu();
 * }</pre>
 */
public final class DepthwiseLayer extends ImageLayer {

    DepthwiseLayer(MicroModel model, int index) {
        super(model, index);
    }

    private LayerSpec.DepthwiseConv2D spec() {
        return (LayerSpec.DepthwiseConv2D) model.layer(index);
    }

    private DepthwiseLayer set(String option, int multiplier, int strideH, int strideW, Padding padding,
                               int dilationH, int dilationW, boolean useBias) {
        LayerSpec.DepthwiseConv2D c = spec();
        model.replace(index, option, new LayerSpec.DepthwiseConv2D(c.kernelH(), c.kernelW(), multiplier, strideH,
                strideW, padding, dilationH, dilationW, useBias));
        return this;
    }

    @Override
    public DepthwiseLayer named(String name) {
        model.rename(index, name);
        return this;
    }

    /** Output channels per input channel (default 1): the output has {@code channels * multiplier} channels. */
    public DepthwiseLayer depthMultiplier(int multiplier) {
        LayerSpec.DepthwiseConv2D c = spec();
        return set("depthMultiplier(..)",
                multiplier, c.strideH(), c.strideW(), c.padding(), c.dilationH(), c.dilationW(), c.useBias());
    }

    /** The same stride along height and width (default 1). */
    public DepthwiseLayer stride(int stride) {
        return stride(stride, stride);
    }

    /** The stride along height and width (default 1). */
    public DepthwiseLayer stride(int strideH, int strideW) {
        LayerSpec.DepthwiseConv2D c = spec();
        return set("stride(..)",
                c.depthMultiplier(), strideH, strideW, c.padding(), c.dilationH(), c.dilationW(), c.useBias());
    }

    /** {@link Padding#SAME} (output = ceil(input / stride)) or {@link Padding#VALID} (no padding; the default). */
    public DepthwiseLayer padding(Padding padding) {
        Objects.requireNonNull(padding, "padding");
        LayerSpec.DepthwiseConv2D c = spec();
        return set("padding(..)",
                c.depthMultiplier(), c.strideH(), c.strideW(), padding, c.dilationH(), c.dilationW(), c.useBias());
    }

    /** The same dilation along height and width (default 1; needs stride 1). */
    public DepthwiseLayer dilation(int dilation) {
        return dilation(dilation, dilation);
    }

    /** The dilation along height and width (default 1; needs stride 1). */
    public DepthwiseLayer dilation(int dilationH, int dilationW) {
        LayerSpec.DepthwiseConv2D c = spec();
        return set("dilation(..)",
                c.depthMultiplier(), c.strideH(), c.strideW(), c.padding(), dilationH, dilationW, c.useBias());
    }

    /** Drops the bias (a following batchNorm gives the exported layer one again when folded). */
    public DepthwiseLayer withoutBias() {
        LayerSpec.DepthwiseConv2D c = spec();
        return set("withoutBias()", c.depthMultiplier(), c.strideH(), c.strideW(), c.padding(), c.dilationH(),
                c.dilationW(), false);
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
