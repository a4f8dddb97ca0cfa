package dev.mote.bench;

import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.vocabulary.Padding;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;

import java.util.Random;

/**
 * A depthwise-separable int8 CNN with about 100 KB of weights, built with seeded random weights: a 96x96x1 image,
 * a 3x3 stride-2 convolution to 16 channels, six depthwise 3x3 + pointwise 1x1 blocks (16→32, 32→64/2, 64→128/2,
 * 128→128, 128→256/2, 256→128), 6x6 average pooling, a 10-way fully connected layer and softmax. Per-channel int8
 * weights, int32 biases, ReLU6 fused into every convolution — the shape of the models people put on a Cortex-M.
 */
final class DsCnnModel {
    private static final float ACT_SCALE = 6f / 255f;
    private static final int ACT_ZP = -128;

    private final ModelBuilder b = new ModelBuilder();
    private final Random random;
    private long weightBytes;

    private DsCnnModel(long seed) {
        this.random = new Random(seed);
    }

    /** The model bytes and its weight byte count. */
    record Built(byte[] bytes, long weightBytes) {
    }

    static Built build(long seed) {
        DsCnnModel m = new DsCnnModel(seed);
        byte[] bytes = m.assemble();
        return new Built(bytes, m.weightBytes);
    }

    private byte[] assemble() {
        int x = b.addInput("image", TensorType.INT8, new int[] {1, 96, 96, 1}, Quantization.perTensor(1f / 255f, -128));
        float inScale = 1f / 255f;
        x = conv(x, inScale, 96, 1, 16, 2, "conv0");
        int size = 48;
        int channels = 16;
        int[][] blocks = {{32, 1}, {64, 2}, {128, 2}, {128, 1}, {256, 2}, {128, 1}};
        for (int i = 0; i < blocks.length; i++) {
            int stride = blocks[i][1];
            x = depthwise(x, size, channels, stride, "block" + i + "/dw");
            size /= stride;
            x = conv1x1(x, size, channels, blocks[i][0], "block" + i + "/pw");
            channels = blocks[i][0];
        }
        int pooled = b.addTensor("pool", TensorType.INT8, new int[] {1, 1, 1, channels},
                Quantization.perTensor(ACT_SCALE, ACT_ZP));
        b.addOperator(BuiltinOperator.AVERAGE_POOL_2D, 2, new BuiltinOptions.Pool2D(Padding.VALID.code(), size, size,
                size, size, Activation.NONE.code()), new int[] {x}, new int[] {pooled});
        int shape = b.addInt32Constant("flatten/shape", new int[] {2}, new int[] {1, channels}, Quantization.NONE);
        int flat = b.addTensor("flatten", TensorType.INT8, new int[] {1, channels},
                Quantization.perTensor(ACT_SCALE, ACT_ZP));
        b.addOperator(BuiltinOperator.RESHAPE, 1, new BuiltinOptions.Reshape(new int[] {1, channels}),
                new int[] {pooled, shape}, new int[] {flat});
        float wScale = 0.02f;
        int w = b.addConstant("fc/w", TensorType.INT8, new int[] {10, channels}, weights(10 * channels),
                Quantization.perTensor(wScale, 0));
        int bias = b.addInt32Constant("fc/b", new int[] {10}, biases(10), Quantization.perTensor(ACT_SCALE * wScale, 0));
        int logits = b.addTensor("logits", TensorType.INT8, new int[] {1, 10}, Quantization.perTensor(0.1f, 0));
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, 4, BuiltinOptions.FullyConnected.of(Activation.NONE),
                new int[] {flat, w, bias}, new int[] {logits});
        int probs = b.addTensor("probabilities", TensorType.INT8, new int[] {1, 10},
                Quantization.perTensor(1f / 256f, -128));
        b.addOperator(BuiltinOperator.SOFTMAX, 2, new BuiltinOptions.Softmax(1f), new int[] {logits},
                new int[] {probs});
        b.addOutput(probs);
        return b.toBytes();
    }

    private byte[] weights(int n) {
        byte[] w = new byte[n];
        for (int i = 0; i < n; i++) {
            w[i] = (byte) (random.nextInt(255) - 127);
        }
        weightBytes += n;
        return w;
    }

    private int[] biases(int n) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(2001) - 1000;
        }
        weightBytes += 4L * n;
        return v;
    }

    private static Quantization perChannel(int channels, float scale, int dimension) {
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = scale * (0.75f + 0.5f * c / channels);
        }
        return Quantization.perChannel(scales, new long[channels], dimension);
    }

    private static Quantization biasQuantization(Quantization weights, float inputScale) {
        float[] w = weights.scales();
        float[] s = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            s[i] = w[i] * inputScale;
        }
        return Quantization.perChannel(s, new long[w.length], 0);
    }

    private int conv(int x, float inScale, int size, int in, int out, int stride, String name) {
        Quantization wq = perChannel(out, (float) Math.sqrt(3.0 / (9 * in)) / 127f, 0);
        int w = b.addConstant(name + "/w", TensorType.INT8, new int[] {out, 3, 3, in}, weights(out * 9 * in), wq);
        int bias = b.addInt32Constant(name + "/b", new int[] {out}, biases(out), biasQuantization(wq, inScale));
        int y = b.addTensor(name, TensorType.INT8, new int[] {1, size / stride, size / stride, out},
                Quantization.perTensor(ACT_SCALE, ACT_ZP));
        b.addOperator(BuiltinOperator.CONV_2D, 3, BuiltinOptions.Conv2D.of(Padding.SAME, stride, stride,
                Activation.RELU6), new int[] {x, w, bias}, new int[] {y});
        return y;
    }

    private int depthwise(int x, int size, int channels, int stride, String name) {
        Quantization wq = perChannel(channels, (float) Math.sqrt(3.0 / 9) / 127f, 3);
        int w = b.addConstant(name + "/w", TensorType.INT8, new int[] {1, 3, 3, channels}, weights(9 * channels), wq);
        int bias = b.addInt32Constant(name + "/b", new int[] {channels}, biases(channels),
                biasQuantization(wq, ACT_SCALE));
        int y = b.addTensor(name, TensorType.INT8, new int[] {1, size / stride, size / stride, channels},
                Quantization.perTensor(ACT_SCALE, ACT_ZP));
        b.addOperator(BuiltinOperator.DEPTHWISE_CONV_2D, 3, new BuiltinOptions.DepthwiseConv2D(Padding.SAME.code(),
                stride, stride, 1, Activation.RELU6.code(), 1, 1), new int[] {x, w, bias}, new int[] {y});
        return y;
    }

    private int conv1x1(int x, int size, int in, int out, String name) {
        Quantization wq = perChannel(out, (float) Math.sqrt(3.0 / in) / 127f, 0);
        int w = b.addConstant(name + "/w", TensorType.INT8, new int[] {out, 1, 1, in}, weights(out * in), wq);
        int bias = b.addInt32Constant(name + "/b", new int[] {out}, biases(out), biasQuantization(wq, ACT_SCALE));
        int y = b.addTensor(name, TensorType.INT8, new int[] {1, size, size, out},
                Quantization.perTensor(ACT_SCALE, ACT_ZP));
        b.addOperator(BuiltinOperator.CONV_2D, 3, BuiltinOptions.Conv2D.of(Padding.VALID, 1, 1, Activation.RELU6),
                new int[] {x, w, bias}, new int[] {y});
        return y;
    }
}
