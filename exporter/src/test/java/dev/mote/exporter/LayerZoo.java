package dev.mote.exporter;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.LayerSpec.Activation;
import dev.mote.dsl.LayerSpec.AvgPool2D;
import dev.mote.dsl.LayerSpec.BatchNorm;
import dev.mote.dsl.LayerSpec.Conv2D;
import dev.mote.dsl.LayerSpec.Dense;
import dev.mote.dsl.LayerSpec.DepthwiseConv2D;
import dev.mote.dsl.LayerSpec.Dropout;
import dev.mote.dsl.LayerSpec.Flatten;
import dev.mote.dsl.LayerSpec.MaxPool2D;
import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.Shape;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.Padding;

import java.util.List;

import static dev.mote.vocabulary.BuiltinOperator.ADD;
import static dev.mote.vocabulary.BuiltinOperator.AVERAGE_POOL_2D;
import static dev.mote.vocabulary.BuiltinOperator.CONCATENATION;
import static dev.mote.vocabulary.BuiltinOperator.CONV_2D;
import static dev.mote.vocabulary.BuiltinOperator.DEPTHWISE_CONV_2D;
import static dev.mote.vocabulary.BuiltinOperator.FULLY_CONNECTED;
import static dev.mote.vocabulary.BuiltinOperator.HARD_SWISH;
import static dev.mote.vocabulary.BuiltinOperator.LEAKY_RELU;
import static dev.mote.vocabulary.BuiltinOperator.LOGISTIC;
import static dev.mote.vocabulary.BuiltinOperator.MAX_POOL_2D;
import static dev.mote.vocabulary.BuiltinOperator.MEAN;
import static dev.mote.vocabulary.BuiltinOperator.PAD;
import static dev.mote.vocabulary.BuiltinOperator.QUANTIZE;
import static dev.mote.vocabulary.BuiltinOperator.RELU;
import static dev.mote.vocabulary.BuiltinOperator.RESHAPE;
import static dev.mote.vocabulary.BuiltinOperator.SOFTMAX;
import static dev.mote.vocabulary.BuiltinOperator.STRIDED_SLICE;
import static dev.mote.vocabulary.BuiltinOperator.TANH;
import static dev.mote.vocabulary.BuiltinOperator.TRANSPOSE_CONV;
import static dev.mote.vocabulary.BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM;

/** Small models covering every layer kind the DSL offers, with the int8 operators each must lower to. */
final class LayerZoo {

    /** A test model: its spec, the int8 operator sequence it must export to, and its float input range. */
    record Case(String name, ModelSpec spec, List<BuiltinOperator> int8Ops, float lo, float hi) {
        @Override
        public String toString() {
            return name;
        }
    }

    private LayerZoo() {
    }

    private static Conv2D conv(int filters, int k, int stride, Padding padding) {
        return new Conv2D(filters, k, k, stride, stride, padding, 1, 1, true);
    }

    private static Activation act(ActivationKind kind) {
        return Activation.of(kind);
    }

    static List<Case> all() {
        return List.of(denseChain(), denseSoftmax(), standaloneActivations(), conv(), dilatedConv(), depthwise(),
                pooling(), padAndReshape(), concatenation(), concatenationWithFixedInput(), residualAdd(),
                residualAddRelu(), conv1d(), sequenceHeads(), lstm(), convTranspose());
    }

    /**
     * The cases 16x8 export runs: every case but the LSTM (refused: no 16x8 LSTM kernel in micro-runtime) and the
     * standalone activations (HARD_SWISH and an unfused RELU have no int16 kernel), which
     * {@link #standaloneActivations16x8()} replaces with the activations that have one.
     */
    static List<Case> int16x8() {
        List<Case> out = new java.util.ArrayList<>();
        for (Case c : all()) {
            if (!hasLstm(c) && !c.int8Ops().contains(HARD_SWISH)) {
                out.add(c);
            }
        }
        out.add(standaloneActivations16x8());
        return out;
    }

    /** TANH, SIGMOID and LEAKY_RELU as standalone operators, then ADD: what 16x8 runs of the standalone kinds. */
    static Case standaloneActivations16x8() {
        TestSpecs s = TestSpecs.input("standalone_activations_16x8", 6);
        int a = s.add(new Dense(8, true));
        s.add(act(ActivationKind.TANH));
        s.add(new Dense(8, true));
        s.add(act(ActivationKind.SIGMOID));
        s.add(new Dense(8, true));
        int r = s.add(new Activation(ActivationKind.LEAKY_RELU, 0.2f));
        s.add(new LayerSpec.Add(), a, r);
        s.add(new Dense(4, true));
        return new Case("standalone_activations_16x8", s.build(), List.of(FULLY_CONNECTED, TANH, FULLY_CONNECTED,
                LOGISTIC, FULLY_CONNECTED, LEAKY_RELU, ADD, FULLY_CONNECTED), -2, 2);
    }

    /** True for the cases with an LSTM. */
    static boolean hasLstm(Case c) {
        return c.int8Ops().contains(UNIDIRECTIONAL_SEQUENCE_LSTM);
    }

    /**
     * Skips the calling desktop-TFLite test for an int8 LSTM: desktop TFLite's integer LSTM kernel (2.x) needs the
     * five intermediate tensors the converter writes for its gate scales; TFLM at the oracle's commit reads none of
     * them (its gates are fixed at 2^-12 / 2^-15), so Mote's export omits them and TFLM is the oracle for it.
     */
    static void assumeDesktopTfliteRunsInt8(Case c) {
        org.junit.jupiter.api.Assumptions.assumeFalse(hasLstm(c), c.name() + ": desktop TFLite's integer LSTM needs "
                + "the converter's intermediate tensors, which TFLM ignores and Mote does not write; compared on real "
                + "TFLM instead (LayerZooTflmTest, SequenceExportTflmTest)");
    }

    /**
     * Conv1D SAME with batch norm and fused RELU, stride 2 and dilated VALID convolutions, 1-D max and average
     * pooling (SAME), dense per step with a fused RELU, global average pooling: one RESHAPE onto the 4-D view
     * [1, 1, steps, c], one back for the dense per step, one onto the view again for MEAN.
     */
    static Case conv1d() {
        ModelSpec spec = MicroModel.sequential("conv1d").input(32, 3)
                .conv1d(8, 5).padding(Padding.SAME).batchNorm().relu()
                .maxPool1d(2)
                .conv1d(6, 3).stride(2).relu6()
                .avgPool1d(3).stride(1).padding(Padding.SAME)
                .conv1d(4, 2).dilation(2).withoutBias()
                .dense(5).relu()
                .globalAvgPool1d()
                .dense(3).softmax().build();
        return new Case("conv1d", spec, List.of(RESHAPE, CONV_2D, MAX_POOL_2D, CONV_2D, AVERAGE_POOL_2D, CONV_2D,
                RESHAPE, FULLY_CONNECTED, RESHAPE, MEAN, FULLY_CONNECTED, SOFTMAX), -1, 1);
    }

    /**
     * An autoencoder-like upsampler: 8x8x1 → CONV_2D stride 2 SAME with fused RELU (4x4x4) → TRANSPOSE_CONV 3x3
     * stride 2 SAME with bias (8x8x3) → TRANSPOSE_CONV 2x3 strides (1, 2) VALID without bias (9x17x2) → CONV_2D 3x3
     * SAME (9x17x1).
     */
    static Case convTranspose() {
        ModelSpec spec = MicroModel.sequential("conv_transpose").input(8, 8, 1)
                .conv2d(4, 3, 3).stride(2).padding(Padding.SAME).relu()
                .conv2dTranspose(3, 3, 3).stride(2).padding(Padding.SAME)
                .conv2dTranspose(2, 2, 3).stride(1, 2).withoutBias()
                .conv2d(1, 3, 3).padding(Padding.SAME)
                .build();
        return new Case("conv_transpose", spec, List.of(CONV_2D, TRANSPOSE_CONV, TRANSPOSE_CONV, CONV_2D), -1, 1);
    }

    /** lastStep (STRIDED_SLICE) after a conv1d and a flatten (absorbed, FULLY_CONNECTED reads the 4-D view). */
    static Case sequenceHeads() {
        MicroModel m = MicroModel.sequential("sequence_heads");
        ModelSpec spec = m.input(12, 4).conv1d(6, 3).relu().lastStep().dense(4).build();
        return new Case("sequence_heads", spec, List.of(RESHAPE, CONV_2D, RESHAPE, STRIDED_SLICE, FULLY_CONNECTED),
                -1, 1);
    }

    /** UNIDIRECTIONAL_SEQUENCE_LSTM (24 operands, variable states) returning every step, flattened into a dense. */
    static Case lstm() {
        ModelSpec spec = MicroModel.sequential("lstm").input(10, 6).lstm(8).flatten().dense(3).build();
        return new Case("lstm", spec, List.of(UNIDIRECTIONAL_SEQUENCE_LSTM, FULLY_CONNECTED), -1, 1);
    }

    /** Dense, fused RELU / RELU6, a bias-less Dense, Dropout. */
    static Case denseChain() {
        TestSpecs s = TestSpecs.input("dense_chain", 12);
        s.add(new Dense(24, true));
        s.add(act(ActivationKind.RELU));
        s.add(new Dense(16, false));
        s.add(new Dropout(0.3));
        s.add(act(ActivationKind.RELU6));
        s.add(new Dense(5, true));
        return new Case("dense_chain", s.build(), List.of(FULLY_CONNECTED, FULLY_CONNECTED, FULLY_CONNECTED), -2, 2);
    }

    static Case denseSoftmax() {
        TestSpecs s = TestSpecs.input("dense_softmax", 10);
        s.add(new Dense(8, true));
        s.add(act(ActivationKind.SOFTMAX));
        return new Case("dense_softmax", s.build(), List.of(FULLY_CONNECTED, SOFTMAX), -2, 2);
    }

    /** TANH, SIGMOID, LEAKY_RELU, HARD_SWISH and a RELU that cannot be fused (after HARD_SWISH), then ADD. */
    static Case standaloneActivations() {
        TestSpecs s = TestSpecs.input("standalone_activations", 6);
        int a = s.add(new Dense(8, true));
        s.add(act(ActivationKind.TANH));
        s.add(new Dense(8, true));
        s.add(act(ActivationKind.SIGMOID));
        s.add(new Dense(8, true));
        s.add(new Activation(ActivationKind.LEAKY_RELU, 0.2f));
        s.add(new Dense(8, true));
        s.add(act(ActivationKind.HARD_SWISH));
        int r = s.add(act(ActivationKind.RELU));
        s.add(new LayerSpec.Add(), a, r);
        s.add(new Dense(4, true));
        return new Case("standalone_activations", s.build(), List.of(FULLY_CONNECTED, TANH, FULLY_CONNECTED, LOGISTIC,
                FULLY_CONNECTED, LEAKY_RELU, FULLY_CONNECTED, HARD_SWISH, RELU, ADD, FULLY_CONNECTED), -2, 2);
    }

    /** CONV_2D SAME and VALID, stride 2, BatchNorm folded, fused RELU and RELU6, Flatten absorbed by the FC. */
    static Case conv() {
        TestSpecs s = TestSpecs.input("conv", 10, 10, 3);
        s.add(conv(8, 3, 1, Padding.SAME));
        s.add(new BatchNorm(1e-3, 0.99));
        s.add(act(ActivationKind.RELU));
        s.add(conv(6, 3, 2, Padding.VALID));
        s.add(act(ActivationKind.RELU6));
        s.add(new Flatten());
        s.add(new Dense(4, true));
        return new Case("conv", s.build(), List.of(CONV_2D, CONV_2D, FULLY_CONNECTED), -1, 1);
    }

    static Case dilatedConv() {
        TestSpecs s = TestSpecs.input("dilated_conv", 9, 9, 2);
        s.add(new Conv2D(4, 3, 3, 1, 1, Padding.SAME, 2, 2, false));
        s.add(new DepthwiseConv2D(3, 3, 1, 1, 1, Padding.SAME, 2, 2, true));
        s.add(new Flatten());
        s.add(new Dense(3, true));
        return new Case("dilated_conv", s.build(), List.of(CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED), -1, 1);
    }

    /** DEPTHWISE_CONV_2D with multiplier 2, stride 2 VALID, GlobalAvgPool2D → MEAN. */
    static Case depthwise() {
        TestSpecs s = TestSpecs.input("depthwise", 8, 8, 4);
        s.add(new DepthwiseConv2D(3, 3, 2, 1, 1, Padding.SAME, 1, 1, true));
        s.add(act(ActivationKind.RELU));
        s.add(new DepthwiseConv2D(3, 3, 1, 2, 2, Padding.VALID, 1, 1, false));
        s.add(new LayerSpec.GlobalAvgPool2D());
        s.add(new Dense(3, true));
        return new Case("depthwise", s.build(), List.of(DEPTHWISE_CONV_2D, DEPTHWISE_CONV_2D, MEAN, FULLY_CONNECTED),
                -1, 1);
    }

    static Case pooling() {
        TestSpecs s = TestSpecs.input("pooling", 12, 12, 3);
        s.add(conv(4, 3, 1, Padding.SAME));
        s.add(new MaxPool2D(2, 2, 2, 2, Padding.VALID));
        s.add(new AvgPool2D(3, 3, 1, 1, Padding.SAME));
        s.add(new AvgPool2D(2, 2, 2, 2, Padding.VALID));
        s.add(new Flatten());
        s.add(new Dense(5, true));
        return new Case("pooling", s.build(), List.of(CONV_2D, MAX_POOL_2D, AVERAGE_POOL_2D, AVERAGE_POOL_2D,
                FULLY_CONNECTED), -1, 1);
    }

    /** ZeroPad2D → PAD, Reshape → RESHAPE (the Flatten after it is absorbed by the FC). */
    static Case padAndReshape() {
        TestSpecs s = TestSpecs.input("pad_reshape", 6, 6, 2);
        s.add(new LayerSpec.ZeroPad2D(1, 2, 0, 1));
        s.add(conv(3, 3, 1, Padding.VALID));
        s.add(new LayerSpec.Reshape(Shape.of(35, 3)));
        s.add(new Flatten());
        s.add(new Dense(2, true));
        return new Case("pad_reshape", s.build(), List.of(PAD, CONV_2D, RESHAPE, FULLY_CONNECTED), -1, 1);
    }

    /** CONCATENATION of two convolutions: both inputs take the concatenation's scale. */
    static Case concatenation() {
        TestSpecs s = TestSpecs.input("concatenation", 8, 8, 2);
        int a = s.add(conv(3, 3, 1, Padding.SAME), 0);
        int b = s.add(conv(5, 1, 1, Padding.SAME), 0);
        s.add(new LayerSpec.Concatenate(), a, b);
        s.add(new MaxPool2D(2, 2, 2, 2, Padding.VALID));
        s.add(new Flatten());
        s.add(new Dense(3, true));
        return new Case("concatenation", s.build(), List.of(CONV_2D, CONV_2D, CONCATENATION, MAX_POOL_2D,
                FULLY_CONNECTED), -1, 1);
    }

    /** CONCATENATION of a SIGMOID output (fixed parameters) and a Dense: the sigmoid side is requantized. */
    static Case concatenationWithFixedInput() {
        TestSpecs s = TestSpecs.input("concat_fixed", 6);
        s.add(new Dense(4, true));
        int a = s.add(act(ActivationKind.SIGMOID));
        int b = s.add(new Dense(4, true), 0);
        s.add(new LayerSpec.Concatenate(), a, b);
        s.add(new Dense(2, true));
        return new Case("concat_fixed", s.build(), List.of(FULLY_CONNECTED, LOGISTIC, FULLY_CONNECTED, QUANTIZE,
                CONCATENATION, FULLY_CONNECTED), -2, 2);
    }

    /** A residual block: ADD of a convolution and its input, then a 3-way sum as two nested ADDs. */
    static Case residualAdd() {
        TestSpecs s = TestSpecs.input("residual", 6, 6, 4);
        int c = s.add(conv(4, 3, 1, Padding.SAME));
        int r = s.add(act(ActivationKind.RELU));
        int sum = s.add(new LayerSpec.Add(), r, 0);
        int d = s.add(conv(4, 1, 1, Padding.SAME), sum);
        int partial = s.add(new LayerSpec.Add(), d, sum);
        s.add(new LayerSpec.Add(), partial, 0);
        s.add(new LayerSpec.GlobalAvgPool2D());
        s.add(new Dense(2, true));
        return new Case("residual", s.build(), List.of(CONV_2D, ADD, CONV_2D, ADD, ADD, MEAN, FULLY_CONNECTED), -1, 1);
    }

    /**
     * Residual blocks with the activation after ADD fused into it, as the TF converter does: RELU into a 2-input
     * ADD, RELU6 into the second of two nested ADDs (a 3-way sum); then Flatten absorbed by the FC.
     */
    static Case residualAddRelu() {
        TestSpecs s = TestSpecs.input("residual_relu", 6, 6, 4);
        int c = s.add(conv(4, 3, 1, Padding.SAME));
        int sum = s.add(new LayerSpec.Add(), c, 0);
        int r = s.add(act(ActivationKind.RELU), sum);
        int d = s.add(conv(4, 1, 1, Padding.SAME), r);
        int partial = s.add(new LayerSpec.Add(), d, r);
        s.add(new LayerSpec.Add(), partial, 0);
        s.add(act(ActivationKind.RELU6));
        s.add(new Flatten());
        s.add(new Dense(2, true));
        return new Case("residual_relu", s.build(), List.of(CONV_2D, ADD, CONV_2D, ADD, ADD, FULLY_CONNECTED), -1, 1);
    }
}
