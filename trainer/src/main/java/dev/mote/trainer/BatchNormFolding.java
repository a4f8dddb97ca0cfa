package dev.mote.trainer;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;

/**
 * Folds an inference-mode BatchNorm into the Dense/Conv2D/DepthwiseConv2D before it, in TFLite layout:
 * {@code s = gamma / sqrt(var + eps)}, {@code w' = w * s} per output channel, {@code b' = (b - mean) * s + beta}.
 */
final class BatchNormFolding {

    private BatchNormFolding() {
    }

    /** Fails unless BatchNorm {@code node} directly follows a linear layer that feeds nothing else. */
    static void requireFoldable(ModelSpec spec, LayerNode node) {
        LayerNode prev = spec.node(node.input());
        if (!QuantizationChoices.isLinear(prev)) {
            throw new UnsupportedLayerException(node, "fold this BatchNorm for int8: it follows '" + prev.name()
                    + "'", "put it directly after a dense, conv2d or depthwiseConv2d layer");
        }
        if (readers(spec, prev) != 1) {
            throw new UnsupportedLayerException(node, "fold this BatchNorm into '" + prev.name()
                    + "', whose output also feeds another layer", "branch after the batchNorm instead");
        }
    }

    /** The Dense/Conv2D/DepthwiseConv2D a BatchNorm folds into (the node right before it), or null. */
    static LayerNode target(ModelSpec spec, LayerNode batchNorm) {
        LayerNode prev = spec.node(batchNorm.input());
        return QuantizationChoices.isLinear(prev) ? prev : null;
    }

    private static int readers(ModelSpec spec, LayerNode node) {
        int count = 0;
        for (LayerNode other : spec.nodes()) {
            for (int in : other.inputs()) {
                count += in == node.index() ? 1 : 0;
            }
        }
        return count;
    }

    /**
     * Folds in place.
     *
     * @param weights   TFLite-layout weights of the linear layer
     * @param bias      its bias
     * @param depthwise true for {@code [1, kh, kw, channels]} (channel = last axis), false for channel = first axis
     */
    static void fold(float[] weights, float[] bias, boolean depthwise, float[] gamma, float[] beta, float[] mean,
                     float[] var, double eps) {
        int channels = bias.length;
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            s[c] = (float) (gamma[c] / Math.sqrt(var[c] + eps));
            bias[c] = (bias[c] - mean[c]) * s[c] + beta[c];
        }
        int per = weights.length / channels;
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= s[depthwise ? i % channels : i / per];
        }
    }

    static boolean isDepthwise(LayerNode node) {
        return node.layer() instanceof LayerSpec.DepthwiseConv2D;
    }
}
