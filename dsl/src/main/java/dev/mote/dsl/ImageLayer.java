package dev.mote.dsl;

import dev.mote.vocabulary.Padding;

/**
 * A layer whose output is an image {@code [height, width, channels]} (NHWC, batch implicit): the place for the
 * 2-D layers. Convolutions and pooling start with stride 1 (pooling: stride = window) and {@link Padding#VALID}, as
 * in Keras; change them on the returned {@link ConvLayer}, {@link DepthwiseLayer} or {@link PoolLayer}.
 *
 * <pre>{@code
 * image.conv2d(8, 10, 8).stride(2).padding(Padding.SAME).relu()
 *      .depthwiseConv2d(3, 3).padding(Padding.SAME).depthMultiplier(2).relu()
 *      .maxPool2d(2, 2)
 *      .flatten()
 * }</pre>
 */
public sealed class ImageLayer extends Layer<ImageLayer> permits ConvLayer, ConvTransposeLayer, DepthwiseLayer, PoolLayer {

    ImageLayer(MicroModel model, int index) {
        super(model, index);
    }

    @Override
    ImageLayer self(int node) {
        return new ImageLayer(model, node);
    }

    /** A 2-D convolution of {@code filters} kernels of {@code kernelH x kernelW} with bias (TFLite CONV_2D). */
    public ConvLayer conv2d(int filters, int kernelH, int kernelW) {
        return new ConvLayer(model, model.append(
                new LayerSpec.Conv2D(filters, kernelH, kernelW, 1, 1, Padding.VALID, 1, 1, true), index));
    }

    /**
     * A transposed 2-D convolution (Keras Conv2DTranspose) of {@code filters} kernels of {@code kernelH x kernelW}
     * with bias, stride 1 and VALID padding (TFLite TRANSPOSE_CONV): see {@link ConvTransposeLayer}.
     */
    public ConvTransposeLayer conv2dTranspose(int filters, int kernelH, int kernelW) {
        return new ConvTransposeLayer(model, model.append(
                new LayerSpec.Conv2DTranspose(filters, kernelH, kernelW, 1, 1, Padding.VALID, true), index));
    }

    /** A per-channel convolution of {@code kernelH x kernelW} with bias (TFLite DEPTHWISE_CONV_2D). */
    public DepthwiseLayer depthwiseConv2d(int kernelH, int kernelW) {
        return new DepthwiseLayer(model, model.append(
                new LayerSpec.DepthwiseConv2D(kernelH, kernelW, 1, 1, 1, Padding.VALID, 1, 1, true), index));
    }

    /** Maximum over {@code poolH x poolW} windows, stride = window, VALID (TFLite MAX_POOL_2D). */
    public PoolLayer maxPool2d(int poolH, int poolW) {
        return new PoolLayer(model, model.append(
                new LayerSpec.MaxPool2D(poolH, poolW, poolH, poolW, Padding.VALID), index));
    }

    /** Average over {@code poolH x poolW} windows, stride = window, VALID (TFLite AVERAGE_POOL_2D). */
    public PoolLayer avgPool2d(int poolH, int poolW) {
        return new PoolLayer(model, model.append(
                new LayerSpec.AvgPool2D(poolH, poolW, poolH, poolW, Padding.VALID), index));
    }

    /** The mean of each channel over height and width: {@code [h, w, c] -> [c]} (TFLite MEAN). */
    public FlatLayer globalAvgPool2d() {
        return new FlatLayer(model, model.append(new LayerSpec.GlobalAvgPool2D(), index));
    }

    /** Pads {@code padding} zeros on every side of height and width (TFLite PAD). */
    public ImageLayer zeroPad2d(int padding) {
        return zeroPad2d(padding, padding, padding, padding);
    }

    /** Pads zeros above, below, left and right (TFLite PAD). */
    public ImageLayer zeroPad2d(int top, int bottom, int left, int right) {
        return new ImageLayer(model, model.append(new LayerSpec.ZeroPad2D(top, bottom, left, right), index));
    }

    /**
     * Flattens to {@code [height * width * channels]} in NHWC order: TFLite RESHAPE, or no operator at all when only a
     * dense layer reads it (FULLY_CONNECTED flattens its input itself).
     */
    public FlatLayer flatten() {
        return new FlatLayer(model, model.append(new LayerSpec.Flatten(), index));
    }
}
