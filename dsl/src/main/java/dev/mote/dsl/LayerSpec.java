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

    /**
     * FULLY_CONNECTED: over a 1-D input {@code [inFeatures] -> [units]}; over a sequence {@code [steps, inFeatures]}
     * applied to every step, {@code -> [steps, units]} (TFLite's {@code keep_num_dims}). Weights
     * {@code [units, inFeatures]} in TFLite order, bias {@code [units]}.
     */
    record Dense(int units, boolean useBias) implements LayerSpec {
    }

    /**
     * A 1-D convolution over a sequence {@code [steps, channels]}: TFLite CONV_2D on the sequence's image view
     * ({@link SequenceImage}), i.e. exactly {@link #asConv2D()} with height 1. Weights {@code [filters, 1, kernel,
     * inChannels]}, bias {@code [filters]}.
     */
    record Conv1D(int filters, int kernel, int stride, Padding padding, int dilation, boolean useBias)
            implements LayerSpec {
        /** The equivalent 2-D convolution on the image view {@code [1, steps, channels]}. */
        public Conv2D asConv2D() {
            return new Conv2D(filters, 1, kernel, 1, stride, padding, 1, dilation, useBias);
        }
    }

    /** MAX_POOL_2D over windows of {@code pool} steps on the sequence's image view: {@link #asMaxPool2D()}. */
    record MaxPool1D(int pool, int stride, Padding padding) implements LayerSpec {
        /** The equivalent 2-D pooling on the image view {@code [1, steps, channels]}. */
        public MaxPool2D asMaxPool2D() {
            return new MaxPool2D(1, pool, 1, stride, padding);
        }
    }

    /** AVERAGE_POOL_2D over windows of {@code pool} steps on the sequence's image view: {@link #asAvgPool2D()}. */
    record AvgPool1D(int pool, int stride, Padding padding) implements LayerSpec {
        /** The equivalent 2-D pooling on the image view {@code [1, steps, channels]}. */
        public AvgPool2D asAvgPool2D() {
            return new AvgPool2D(1, pool, 1, stride, padding);
        }
    }

    /** MEAN over the steps: {@code [steps, channels] -> [channels]} ({@link GlobalAvgPool2D} on the image view). */
    record GlobalAvgPool1D() implements LayerSpec {
    }

    /**
     * A Keras-style LSTM (tanh cell and output activation, sigmoid gates, biases, no peephole, projection or
     * layer norm) returning every step: {@code [steps, features] -> [steps, units]}; TFLite
     * UNIDIRECTIONAL_SEQUENCE_LSTM (batch-major). Gates in TFLite's order: input, forget, cell, output. Its
     * parameters ({@link ModelParameters}): the eight weight matrices of TFLite operands 1 to 8
     * ({@code input_to_input, input_to_forget, input_to_cell, input_to_output}, each {@code [units, features]}, then
     * {@code recurrent_to_input, .._forget, .._cell, .._output}, each {@code [units, units]}) concatenated row-major
     * in that order, and the four gate biases of operands 12 to 15 ({@code [units]} each, same order)
     * concatenated.
     */
    record Lstm(int units) implements LayerSpec {
    }

    /** The last step of a sequence: {@code [steps, features] -> [features]} (TFLite STRIDED_SLICE). */
    record LastStep() implements LayerSpec {
    }

    /** CONV_2D, NHWC, weights [filters, kernelH, kernelW, inChannels], bias [filters]. */
    record Conv2D(int filters, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
                  int dilationH, int dilationW, boolean useBias) implements LayerSpec {
    }

    /**
     * TRANSPOSE_CONV (Keras Conv2DTranspose), NHWC: VALID output {@code (in - 1) * stride + kernel}, SAME output
     * {@code in * stride}. Weights {@code [filters, kernelH, kernelW, inChannels]} (TFLite's filter layout, per-channel
     * on axis 0), bias {@code [filters]} (the operator's 4th input).
     */
    record Conv2DTranspose(int filters, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
                           boolean useBias) implements LayerSpec {
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
