package dev.mote.dsl;

import dev.mote.vocabulary.Padding;

/**
 * What one node of a {@link ModelSpec} computes. Immutable values; the fluent builder ({@code MicroModel})
 * creates and validates them, the trainer and the exporter read them. Activations are their own nodes here; the
 * exporter fuses them into the preceding FULLY_CONNECTED / CONV_2D / DEPTHWISE_CONV_2D where TFLite does.
 */
public sealed interface LayerSpec {

    /** The model input (always node 0). */
    record Input(Shape shape) implements LayerSpec {
    }

    /** FULLY_CONNECTED over a 1-D input: weights [units, inFeatures] in TFLite order, bias [units]. */
    record Dense(int units, boolean useBias) implements LayerSpec {
    }

    /** CONV_2D, NHWC, weights [filters, kernelH, kernelW, inChannels], bias [filters]. */
    record Conv2D(int filters, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
                  int dilationH, int dilationW, boolean useBias) implements LayerSpec {
    }

    /** DEPTHWISE_CONV_2D, weights [1, kernelH, kernelW, inChannels * depthMultiplier], bias [that]. */
    record DepthwiseConv2D(int kernelH, int kernelW, int depthMultiplier, int strideH, int strideW, Padding padding,
                           int dilationH, int dilationW, boolean useBias) implements LayerSpec {
    }

    /** MAX_POOL_2D. */
    record MaxPool2D(int poolH, int poolW, int strideH, int strideW, Padding padding) implements LayerSpec {
    }

    /** AVERAGE_POOL_2D. */
    record AvgPool2D(int poolH, int poolW, int strideH, int strideW, Padding padding) implements LayerSpec {
    }

    /** MEAN over height and width: [h, w, c] → [c]. */
    record GlobalAvgPool2D() implements LayerSpec {
    }

    /** RESHAPE to 1-D (absorbed by FULLY_CONNECTED when a dense layer is its only reader, see {@link Lowering}). */
    record Flatten() implements LayerSpec {
    }

    /** RESHAPE to {@code shape} (without batch). */
    record Reshape(Shape shape) implements LayerSpec {
    }

    /** PAD with zeros (the input's zero point in int8) on height and width. */
    record ZeroPad2D(int top, int bottom, int left, int right) implements LayerSpec {
    }

    /** Batch normalization over the last axis; folded into the preceding linear layer at export. */
    record BatchNorm(double epsilon, double momentum) implements LayerSpec {
    }

    /** Dropout: training only, removed at export. */
    record Dropout(double rate) implements LayerSpec {
    }

    /** An activation (fused into the previous layer at export where TFLite allows it). */
    record Activation(ActivationKind kind, float alpha) implements LayerSpec {
        public static Activation of(ActivationKind kind) {
            return new Activation(kind, 0f);
        }
    }

    /** ADD of two or more same-shape nodes (residual connections). */
    record Add() implements LayerSpec {
    }

    /** CONCATENATION along the last axis. */
    record Concatenate() implements LayerSpec {
    }
}
