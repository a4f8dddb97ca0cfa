package dev.mote.dsl;

/**
 * The one rule that puts 1-D layers on TFLite's 2-D kernels: a sequence {@code [steps, channels]} is the image
 * {@code [1, steps, channels]} (height 1, width = steps, NHWC), as Keras' {@code Conv1D} and the TF converter lay it
 * out ({@code [batch, 1, steps, channels]} around CONV_2D, MAX_POOL_2D, AVERAGE_POOL_2D and MEAN). Both views hold
 * the same bytes in the same order, so moving between them is a RESHAPE. The DSL's shape checks, the plan, the
 * trainer and the exporter read a 1-D layer as its {@link #equivalent2d 2-D equivalent} on this view.
 *
 * <pre>{@code
 * Shape image = SequenceImage.image(Shape.of(128, 3));            // [1, 128, 3]
 * LayerSpec conv = SequenceImage.equivalent2d(new LayerSpec.Conv1D(8, 5, 1, Padding.SAME, 1, true));
 * // conv is LayerSpec.Conv2D(8, 1, 5, 1, 1, SAME, 1, 1, true)
 * }</pre>
 */
public final class SequenceImage {
    private SequenceImage() {
    }

    /** The image view {@code [1, steps, channels]} of a sequence {@code [steps, channels]}. */
    public static Shape image(Shape sequence) {
        if (sequence.rank() != 2) {
            throw new IllegalArgumentException("not a sequence [steps, channels]: " + sequence);
        }
        return Shape.of(1, sequence.dim(0), sequence.dim(1));
    }

    /** The sequence {@code [steps, channels]} an image view {@code [1, steps, channels]} stands for. */
    public static Shape sequence(Shape image) {
        if (image.rank() != 3 || image.dim(0) != 1) {
            throw new IllegalArgumentException("not the image view [1, steps, channels] of a sequence: " + image);
        }
        return Shape.of(image.dim(1), image.dim(2));
    }

    /** True for the layers that run as a 2-D layer on the image view (conv1d, the 1-D poolings). */
    public static boolean isOneDimensional(LayerSpec layer) {
        return layer instanceof LayerSpec.Conv1D || layer instanceof LayerSpec.MaxPool1D
                || layer instanceof LayerSpec.AvgPool1D || layer instanceof LayerSpec.GlobalAvgPool1D;
    }

    /**
     * The 2-D layer a 1-D layer is on the image view ({@code Conv1D} → {@code Conv2D} with kernel height 1, the
     * poolings likewise, {@code GlobalAvgPool1D} → {@code GlobalAvgPool2D}); any other layer unchanged.
     */
    public static LayerSpec equivalent2d(LayerSpec layer) {
        if (layer instanceof LayerSpec.Conv1D c) {
            return c.asConv2D();
        } else if (layer instanceof LayerSpec.MaxPool1D p) {
            return p.asMaxPool2D();
        } else if (layer instanceof LayerSpec.AvgPool1D p) {
            return p.asAvgPool2D();
        } else if (layer instanceof LayerSpec.GlobalAvgPool1D) {
            return new LayerSpec.GlobalAvgPool2D();
        }
        return layer;
    }
}
