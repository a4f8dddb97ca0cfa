package dev.mote.dsl;

import dev.mote.vocabulary.Padding;

import java.util.Objects;

/**
 * A just-declared transposed 2-D convolution (Keras {@code Conv2DTranspose}, TFLite TRANSPOSE_CONV): set stride,
 * padding or bias, or continue like any {@link ImageLayer}. Output height (width alike): {@link Padding#VALID}
 * {@code (in - 1) * stride + kernel}, {@link Padding#SAME} {@code in * stride}. The options are set before the next
 * layer is chained; afterwards they throw {@link LayerClosedException}.
 *
 * <p>A following {@code relu()} or {@code relu6()} is exported as a separate RELU / RELU6 operator, not fused into
 * TRANSPOSE_CONV: TFLM would apply a fused activation, but it makes the operator version 4, which TFLite runtimes
 * before 2.13 refuse to load; unfused, the operator stays version 3 or lower (TFLite 2.3). Consequence: with
 * {@code ExportOptions.int16x8()} such a standalone ReLU is refused, as after any layer that cannot fuse it. No
 * batch norm folds into it (there is no {@code batchNorm()} here).
 *
 * <pre>{@code
 * // 8x8x1 -> 4x4x8 -> 8x8x4 (an autoencoder-like upsampling)
 * ImageLayer x = image.conv2d(8, 3, 3).stride(2).padding(Padding.SAME).relu()
 *         .conv2dTranspose(4, 3, 3).stride(2).padding(Padding.SAME).relu();
 * }</pre>
 */
public final class ConvTransposeLayer extends ImageLayer {

    ConvTransposeLayer(MicroModel model, int index) {
        super(model, index);
    }

    private LayerSpec.Conv2DTranspose spec() {
        return (LayerSpec.Conv2DTranspose) model.layer(index);
    }

    @Override
    public ConvTransposeLayer named(String name) {
        model.rename(index, name);
        return this;
    }

    /** The same stride along height and width (default 1): the upsampling factor. */
    public ConvTransposeLayer stride(int stride) {
        return stride(stride, stride);
    }

    /** The stride along height and width (default 1). */
    public ConvTransposeLayer stride(int strideH, int strideW) {
        LayerSpec.Conv2DTranspose c = spec();
        model.replace(index, "stride(..)", new LayerSpec.Conv2DTranspose(c.filters(), c.kernelH(), c.kernelW(),
                strideH, strideW, c.padding(), c.useBias()));
        return this;
    }

    /**
     * {@link Padding#SAME} (output = input * stride) or {@link Padding#VALID} (output = (input - 1) * stride +
     * kernel; the default).
     */
    public ConvTransposeLayer padding(Padding padding) {
        Objects.requireNonNull(padding, "padding");
        LayerSpec.Conv2DTranspose c = spec();
        model.replace(index, "padding(..)", new LayerSpec.Conv2DTranspose(c.filters(), c.kernelH(), c.kernelW(),
                c.strideH(), c.strideW(), padding, c.useBias()));
        return this;
    }

    /** Drops the bias (the exported TRANSPOSE_CONV then has no 4th input). */
    public ConvTransposeLayer withoutBias() {
        LayerSpec.Conv2DTranspose c = spec();
        model.replace(index, "withoutBias()", new LayerSpec.Conv2DTranspose(c.filters(), c.kernelH(), c.kernelW(),
                c.strideH(), c.strideW(), c.padding(), false));
        return this;
    }
}
