package dev.mote.trainer;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.Shape;
import dev.mote.dsl.ValueRange;
import dev.mote.vocabulary.Padding;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

import static dev.mote.trainer.Specs.act;
import static dev.mote.trainer.Specs.conv;
import static dev.mote.trainer.Specs.dense;
import static dev.mote.trainer.Specs.depthwise;

/** Small specs and helpers shared by the trainer tests. */
final class TestNets {

    private TestNets() {
    }

    static ModelSpec mlp() {
        return Specs.input(3).then(dense(8)).then(act(ActivationKind.RELU)).then(dense(4))
                .then(act(ActivationKind.SOFTMAX)).build("mlp");
    }

    /** conv → BN → relu → depthwise → relu6 → dropout → maxpool → flatten → dense → softmax. */
    static ModelSpec cnn() {
        return Specs.input(6, 5, 3).then(conv(4, 3, 1, Padding.SAME)).then(new LayerSpec.BatchNorm(1e-3, 0.9))
                .then(act(ActivationKind.RELU)).then(depthwise(3, 2, 2, Padding.SAME))
                .then(act(ActivationKind.RELU6)).then(new LayerSpec.Dropout(0.25))
                .then(new LayerSpec.MaxPool2D(2, 2, 2, 2, Padding.SAME)).then(new LayerSpec.Flatten())
                .then(dense(5)).then(act(ActivationKind.SOFTMAX)).build("cnn");
    }

    /** zero pad → strided VALID conv → BN → avg pool (SAME) → tanh → flatten → dense (regression). */
    static ModelSpec paddedRegression() {
        return paddedRegression(Padding.SAME);
    }

    static ModelSpec paddedRegression(Padding avgPoolPadding) {
        return Specs.input(7, 7, 2).then(new LayerSpec.ZeroPad2D(1, 0, 1, 2))
                .then(new LayerSpec.Conv2D(3, 3, 2, 2, 2, Padding.VALID, 1, 1, false))
                .then(new LayerSpec.BatchNorm(1e-3, 0.9))
                .then(new LayerSpec.AvgPool2D(3, 3, 1, 1, avgPoolPadding)).then(act(ActivationKind.TANH))
                .then(new LayerSpec.Flatten()).then(dense(3)).then(new LayerSpec.Dense(2, false)).build("padded");
    }

    /** conv → BN → dropout → relu6 (fused through both) → global average pool → dense. */
    static ModelSpec dropoutAfterBatchNorm() {
        return Specs.input(4, 4, 2).then(conv(3, 3, 1, Padding.SAME)).then(new LayerSpec.BatchNorm(1e-3, 0.9))
                .then(new LayerSpec.Dropout(0.5)).then(act(ActivationKind.RELU6))
                .then(new LayerSpec.GlobalAvgPool2D()).then(dense(2)).build("dropout_bn");
    }

    /** [24] → Reshape [4, 3, 2] → conv → relu → Reshape [6, 2, 3] → depthwise → flatten → dense (NHWC reshapes). */
    static ModelSpec reshapes() {
        return Specs.input(24).then(new LayerSpec.Reshape(Shape.of(4, 3, 2))).then(conv(3, 3, 1, Padding.SAME))
                .then(act(ActivationKind.RELU)).then(new LayerSpec.Reshape(Shape.of(6, 2, 3)))
                .then(depthwise(3, 1, 1, Padding.SAME)).then(new LayerSpec.Flatten()).then(dense(2))
                .build("reshapes");
    }

    /** A graph: residual Add, Concatenate, depthwise, global average pool. */
    static ModelSpec residual() {
        Specs s = Specs.input(5, 5, 2);
        int a = s.add(conv(4, 3, 1, Padding.SAME), 0);
        int b = s.add(act(ActivationKind.RELU), a);
        int c = s.add(conv(4, 1, 1, Padding.SAME), 0);
        int d = s.add(new LayerSpec.Add(), b, c);
        int e = s.add(depthwise(3, 1, 1, Padding.SAME), d);
        int f = s.add(new LayerSpec.Concatenate(), d, e);
        int g = s.add(new LayerSpec.GlobalAvgPool2D(), f);
        int h = s.add(dense(3), g);
        s.add(act(ActivationKind.SOFTMAX), h);
        return s.build("residual");
    }

    /** A graph whose Dense reads a flattened feature map (permuted weights) next to a residual Add. */
    static ModelSpec graphFlatten() {
        Specs s = Specs.input(4, 3, 3);
        int a = s.add(conv(3, 3, 1, Padding.SAME), 0);
        int b = s.add(new LayerSpec.Add(), a, 0);
        int c = s.add(act(ActivationKind.LEAKY_RELU), b);
        int d = s.add(new LayerSpec.Flatten(), c);
        s.add(dense(2), d);
        return s.build("graph_flatten");
    }

    static INDArray randomFeatures(ModelSpec spec, int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[(int) (n * spec.inputShape().elementCount())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Nd4j.create(v, new long[] {n, spec.inputShape().elementCount()}, 'c');
    }

    /** Gives every BatchNorm layer random but valid statistics and affine parameters. */
    static void randomizeBatchNorm(SpecNetwork net, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < net.spec().nodes().size(); i++) {
            if (net.spec().node(i).layer() instanceof LayerSpec.BatchNorm) {
                Layer l = net.layer(i);
                fill(l.getParam("gamma"), r, 0.5, 1.5);
                fill(l.getParam("beta"), r, -0.5, 0.5);
                fill(l.getParam("mean"), r, -0.5, 0.5);
                fill(l.getParam("var"), r, 0.2, 2.0);
            }
        }
    }

    private static void fill(INDArray p, Random r, double lo, double hi) {
        float[] v = new float[(int) p.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        p.assign(Nd4j.create(v).reshape(p.shape()));
    }

    static SpecNetwork floatNetwork(ModelSpec spec, long seed) {
        return NetworkFactory.build(spec, NetworkFactory.Options.of(NetworkFactory.Mode.FLOAT_TRAINING, seed,
                1e-3, Loss.AUTO));
    }

    static ValueRange[] unitRanges(ModelSpec spec) {
        ValueRange[] r = new ValueRange[spec.nodes().size()];
        Arrays.fill(r, new ValueRange(-1f, 1f));
        return r;
    }

    static float[] row(INDArray a, int i) {
        return a.getRow(i).dup('c').toFloatVector();
    }

    static Shape shape(int... d) {
        return Shape.of(d);
    }
}
