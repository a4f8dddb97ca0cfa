package dev.mote.trainer;

import dev.mote.dsl.plan.PlannedWeights;

/**
 * Folds an inference-mode BatchNorm into the Dense/Conv2D/DepthwiseConv2D the DSL's {@code Lowering} folds it into
 * ({@code Lowering.into}), in TFLite layout:
 * {@code s = gamma / sqrt(var + eps)}, {@code w' = w * s} per output channel, {@code b' = (b - mean) * s + beta}.
 */
final class BatchNormFolding {

    private BatchNormFolding() {
    }

    /**
     * Folds in place.
     *
     * @param weights   TFLite-layout weights of the linear layer
     * @param bias      its bias
     * @param layout    the layer's weights: the output channel is the last axis of a depthwise
     *                  {@code [1, kh, kw, channels]}, the first axis otherwise
     */
    static void fold(float[] weights, float[] bias, PlannedWeights layout, float[] gamma, float[] beta, float[] mean,
                     float[] var, double eps) {
        int channels = bias.length;
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            s[c] = (float) (gamma[c] / Math.sqrt(var[c] + eps));
            bias[c] = (bias[c] - mean[c]) * s[c] + beta[c];
        }
        boolean depthwise = layout.layout() == PlannedWeights.Layout.ONE_HEIGHT_WIDTH_CHANNELS;
        int per = weights.length / channels;
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= s[depthwise ? i % channels : i / per];
        }
    }
}
