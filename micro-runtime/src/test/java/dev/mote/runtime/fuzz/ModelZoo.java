package dev.mote.runtime.fuzz;

import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.vocabulary.Padding;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small valid models built with {@link ModelBuilder}, one or a few operators each, covering the builtin ops TFLM
 * runs (int8 and float32), with plausible quantization: the seeds that the fuzzers mutate. Models whose op has no
 * kernel yet are refused at allocation with {@code UnsupportedOpException}, which is still a typed outcome; they start
 * running as kernels land.
 */
public final class ModelZoo {
    private static final Quantization Q_IN = Quantization.perTensor(0.05f, -3);
    private static final Quantization Q_OUT = Quantization.perTensor(0.08f, 5);

    private ModelZoo() {
    }

    /** Every zoo model by name, in a fixed order (deterministic bytes). */
    public static Map<String, byte[]> all() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("fc_int8", fullyConnected(TensorType.INT8));
        m.put("fc_float", fullyConnected(TensorType.FLOAT32));
        m.put("conv_int8", conv(TensorType.INT8, Padding.SAME, 1));
        m.put("conv_valid_stride2_int8", conv(TensorType.INT8, Padding.VALID, 2));
        m.put("conv_float", conv(TensorType.FLOAT32, Padding.SAME, 1));
        m.put("depthwise_int8", depthwise(TensorType.INT8, 2));
        m.put("depthwise_float", depthwise(TensorType.FLOAT32, 1));
        m.put("max_pool_int8", pool(BuiltinOperator.MAX_POOL_2D, TensorType.INT8));
        m.put("avg_pool_int8", pool(BuiltinOperator.AVERAGE_POOL_2D, TensorType.INT8));
        m.put("avg_pool_float", pool(BuiltinOperator.AVERAGE_POOL_2D, TensorType.FLOAT32));
        m.put("softmax_int8", unary(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1f), TensorType.INT8,
                Quantization.perTensor(1f / 256, -128)));
        m.put("softmax_float", unary(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1f), TensorType.FLOAT32,
                Quantization.NONE));
        m.put("logistic_int8", unary(BuiltinOperator.LOGISTIC, BuiltinOptions.NONE, TensorType.INT8,
                Quantization.perTensor(1f / 256, -128)));
        m.put("tanh_int8", unary(BuiltinOperator.TANH, BuiltinOptions.NONE, TensorType.INT8,
                Quantization.perTensor(1f / 128, 0)));
        m.put("relu_int8", unary(BuiltinOperator.RELU, BuiltinOptions.NONE, TensorType.INT8, Q_OUT));
        m.put("relu6_int8", unary(BuiltinOperator.RELU6, BuiltinOptions.NONE, TensorType.INT8, Q_OUT));
        m.put("leaky_relu_int8", unary(BuiltinOperator.LEAKY_RELU, new BuiltinOptions.LeakyRelu(0.2f),
                TensorType.INT8, Q_OUT));
        m.put("hard_swish_int8", unary(BuiltinOperator.HARD_SWISH, BuiltinOptions.NONE, TensorType.INT8, Q_OUT));
        m.put("add_int8", binary(BuiltinOperator.ADD, new BuiltinOptions.Add(Activation.RELU.code(), false),
                TensorType.INT8, false));
        m.put("add_broadcast_float", binary(BuiltinOperator.ADD, new BuiltinOptions.Add(0, false),
                TensorType.FLOAT32, true));
        m.put("sub_int8", binary(BuiltinOperator.SUB, new BuiltinOptions.Sub(0, false), TensorType.INT8, true));
        m.put("mul_int8", binary(BuiltinOperator.MUL, new BuiltinOptions.Mul(Activation.RELU6.code()),
                TensorType.INT8, false));
        m.put("quantize_dequantize", quantizeDequantize());
        m.put("reshape_int8", reshape());
        m.put("squeeze_int8", squeeze());
        m.put("expand_dims_int8", expandDims());
        m.put("transpose_int8", transpose());
        m.put("strided_slice_int8", stridedSlice());
        m.put("concatenation_int8", concatenation());
        m.put("pad_int8", pad(BuiltinOperator.PAD));
        m.put("padv2_int8", pad(BuiltinOperator.PADV2));
        m.put("mean_int8", mean());
        m.put("tiny_cnn_int8", tinyCnn());
        // the 16x8 paths and the stateful / scratch-hungry operators: case 1 of each differential variant
        for (dev.mote.runtime.tflm.Variant v : dev.mote.runtime.tflm.DifferentialVariants.all()) {
            String name = v.name();
            if (name.contains("int16") || name.contains("16x8") || name.startsWith("TRANSPOSE_CONV")
                    || name.startsWith("SVDF")) {
                m.put("diff:" + name, v.caseAt(1).model());
            }
        }
        return m;
    }

    private static byte[] int8(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (r.nextInt(255) - 127);
        }
        return b;
    }

    private static float[] floats(SplittableRandom r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return f;
    }

    private static int[] ints(SplittableRandom r, int n, int bound) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(2 * bound) - bound;
        }
        return v;
    }

    private static Quantization q(TensorType type, Quantization q) {
        return type == TensorType.INT8 ? q : Quantization.NONE;
    }

    private static int weights(ModelBuilder b, SplittableRandom r, TensorType type, int[] shape, Quantization q) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return type == TensorType.INT8 ? b.addConstant("weights", type, shape, int8(r, n), q)
                : b.addFloatConstant("weights", shape, floats(r, n));
    }

    private static int bias(ModelBuilder b, SplittableRandom r, TensorType type, int n, Quantization q) {
        return type == TensorType.INT8 ? b.addInt32Constant("bias", new int[] {n}, ints(r, n, 500), q)
                : b.addFloatConstant("bias", new int[] {n}, floats(r, n));
    }

    static byte[] fullyConnected(TensorType type) {
        SplittableRandom r = new SplittableRandom(1);
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", type, new int[] {2, 6}, q(type, Q_IN));
        int w = weights(b, r, type, new int[] {4, 6}, q(type, Quantization.perTensor(0.02f, 0)));
        int bias = bias(b, r, type, 4, q(type, Quantization.perTensor(0.001f, 0)));
        int out = b.addTensor("out", type, new int[] {2, 4}, q(type, Q_OUT));
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, type == TensorType.INT8 ? 4 : 1,
                BuiltinOptions.FullyConnected.of(Activation.RELU), new int[] {in, w, bias}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    private static Quantization perChannel(int channels, int axis) {
        float[] scales = new float[channels];
        long[] zps = new long[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = 0.01f + 0.003f * c;
        }
        return Quantization.perChannel(scales, zps, axis);
    }

    private static Quantization biasQuantization(int channels, float inputScale, Quantization filter) {
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = inputScale * filter.scale(c);
        }
        return Quantization.perChannel(scales, new long[channels], 0);
    }

    static byte[] conv(TensorType type, Padding padding, int stride) {
        SplittableRandom r = new SplittableRandom(2);
        ModelBuilder b = new ModelBuilder();
        int h = 5;
        int w = 6;
        int inC = 3;
        int outC = 4;
        int in = b.addInput("in", type, new int[] {1, h, w, inC}, q(type, Q_IN));
        Quantization fq = perChannel(outC, 0);
        int filter = weights(b, r, type, new int[] {outC, 3, 3, inC}, q(type, fq));
        int bias = bias(b, r, type, outC, q(type, biasQuantization(outC, Q_IN.scale(), fq)));
        int outH = padding == Padding.SAME ? (h + stride - 1) / stride : (h - 3) / stride + 1;
        int outW = padding == Padding.SAME ? (w + stride - 1) / stride : (w - 3) / stride + 1;
        int out = b.addTensor("out", type, new int[] {1, outH, outW, outC}, q(type, Q_OUT));
        b.addOperator(BuiltinOperator.CONV_2D, type == TensorType.INT8 ? 3 : 1,
                BuiltinOptions.Conv2D.of(padding, stride, stride, Activation.RELU6), new int[] {in, filter, bias},
                new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    static byte[] depthwise(TensorType type, int multiplier) {
        SplittableRandom r = new SplittableRandom(3);
        ModelBuilder b = new ModelBuilder();
        int inC = 3;
        int outC = inC * multiplier;
        int in = b.addInput("in", type, new int[] {1, 4, 5, inC}, q(type, Q_IN));
        Quantization fq = perChannel(outC, 3);
        int filter = weights(b, r, type, new int[] {1, 3, 3, outC}, q(type, fq));
        int bias = bias(b, r, type, outC, q(type, biasQuantization(outC, Q_IN.scale(), fq)));
        int out = b.addTensor("out", type, new int[] {1, 4, 5, outC}, q(type, Q_OUT));
        b.addOperator(BuiltinOperator.DEPTHWISE_CONV_2D, type == TensorType.INT8 ? 3 : 1,
                new BuiltinOptions.DepthwiseConv2D(Padding.SAME.code(), 1, 1, multiplier, Activation.NONE.code(), 1,
                        1), new int[] {in, filter, bias}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    static byte[] pool(BuiltinOperator op, TensorType type) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", type, new int[] {1, 6, 6, 2}, q(type, Q_IN));
        int out = b.addTensor("out", type, new int[] {1, 3, 3, 2}, q(type, Q_IN));
        b.addOperator(op, 2, new BuiltinOptions.Pool2D(Padding.VALID.code(), 2, 2, 2, 2, Activation.NONE.code()),
                new int[] {in}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    static byte[] unary(BuiltinOperator op, BuiltinOptions options, TensorType type, Quantization outQ) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", type, new int[] {2, 5}, q(type, Q_IN));
        int out = b.addTensor("out", type, new int[] {2, 5}, q(type, outQ));
        b.addOperator(op, type == TensorType.INT8 ? 2 : 1, options, new int[] {in}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    static byte[] binary(BuiltinOperator op, BuiltinOptions options, TensorType type, boolean broadcast) {
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", type, new int[] {1, 3, 4}, q(type, Q_IN));
        int y = b.addInput("y", type, broadcast ? new int[] {1, 1, 4} : new int[] {1, 3, 4},
                q(type, Quantization.perTensor(0.03f, 7)));
        int out = b.addTensor("out", type, new int[] {1, 3, 4}, q(type, Q_OUT));
        b.addOperator(op, type == TensorType.INT8 ? 2 : 1, options, new int[] {x, y}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    static byte[] quantizeDequantize() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.FLOAT32, new int[] {1, 8}, Quantization.NONE);
        int mid = b.addTensor("mid", TensorType.INT8, new int[] {1, 8}, Q_IN);
        int out = b.addTensor("out", TensorType.FLOAT32, new int[] {1, 8}, Quantization.NONE);
        b.addOperator(BuiltinOperator.QUANTIZE, 1, BuiltinOptions.NONE, new int[] {in}, new int[] {mid});
        b.addOperator(BuiltinOperator.DEQUANTIZE, 2, BuiltinOptions.NONE, new int[] {mid}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    static byte[] reshape() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {1, 2, 3, 4}, Q_IN);
        int shape = b.addInt32Constant("shape", new int[] {2}, new int[] {6, -1}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.INT8, new int[] {6, 4}, Q_IN);
        b.addOperator(BuiltinOperator.RESHAPE, 1, new BuiltinOptions.Reshape(new int[] {6, -1}),
                new int[] {in, shape}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    static byte[] squeeze() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {1, 3, 1, 4}, Q_IN);
        int out = b.addTensor("out", TensorType.INT8, new int[] {3, 4}, Q_IN);
        b.addOperator(BuiltinOperator.SQUEEZE, 1, new BuiltinOptions.Squeeze(new int[] {0, 2}), new int[] {in},
                new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    static byte[] expandDims() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {3, 4}, Q_IN);
        int axis = b.addInt32Constant("axis", new int[] {1}, new int[] {1}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.INT8, new int[] {3, 1, 4}, Q_IN);
        b.addOperator(BuiltinOperator.EXPAND_DIMS, 1, BuiltinOptions.NONE, new int[] {in, axis}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    static byte[] transpose() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {2, 3, 4}, Q_IN);
        int perm = b.addInt32Constant("perm", new int[] {3}, new int[] {2, 0, 1}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.INT8, new int[] {4, 2, 3}, Q_IN);
        b.addOperator(BuiltinOperator.TRANSPOSE, 2, BuiltinOptions.NONE, new int[] {in, perm}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    static byte[] stridedSlice() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {4, 6}, Q_IN);
        int begin = b.addInt32Constant("begin", new int[] {2}, new int[] {1, 0}, Quantization.NONE);
        int end = b.addInt32Constant("end", new int[] {2}, new int[] {3, 6}, Quantization.NONE);
        int strides = b.addInt32Constant("strides", new int[] {2}, new int[] {1, 2}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.INT8, new int[] {2, 3}, Q_IN);
        b.addOperator(BuiltinOperator.STRIDED_SLICE, 2, new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false),
                new int[] {in, begin, end, strides}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    static byte[] concatenation() {
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", TensorType.INT8, new int[] {2, 3}, Q_IN);
        int y = b.addInput("y", TensorType.INT8, new int[] {2, 2}, Q_IN);
        int out = b.addTensor("out", TensorType.INT8, new int[] {2, 5}, Q_IN);
        b.addOperator(BuiltinOperator.CONCATENATION, 2, new BuiltinOptions.Concatenation(1, 0), new int[] {x, y},
                new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    static byte[] pad(BuiltinOperator op) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {1, 3, 3, 2}, Q_IN);
        int paddings = b.addInt32Constant("paddings", new int[] {4, 2}, new int[] {0, 0, 1, 1, 2, 0, 0, 0},
                Quantization.NONE);
        int out = b.addTensor("out", TensorType.INT8, new int[] {1, 5, 5, 2}, Q_IN);
        int[] inputs = {in, paddings};
        if (op == BuiltinOperator.PADV2) {
            int value = b.addConstant("value", TensorType.INT8, new int[] {1}, new byte[] {9}, Q_IN);
            inputs = new int[] {in, paddings, value};
        }
        b.addOperator(op, op == BuiltinOperator.PAD ? 2 : 1, BuiltinOptions.NONE, inputs, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    static byte[] mean() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, new int[] {1, 4, 4, 3}, Q_IN);
        int axis = b.addInt32Constant("axis", new int[] {2}, new int[] {1, 2}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.INT8, new int[] {1, 1, 1, 3}, Q_OUT);
        b.addOperator(BuiltinOperator.MEAN, 2, new BuiltinOptions.Reducer(true), new int[] {in, axis},
                new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    /** CONV_2D → DEPTHWISE_CONV_2D → MAX_POOL_2D → RESHAPE → FULLY_CONNECTED → SOFTMAX, int8. */
    static byte[] tinyCnn() {
        SplittableRandom r = new SplittableRandom(4);
        ModelBuilder b = new ModelBuilder();
        Quantization act = Quantization.perTensor(0.06f, -10);
        int in = b.addInput("image", TensorType.INT8, new int[] {1, 8, 8, 1}, Q_IN);
        Quantization cq = perChannel(4, 0);
        int cw = b.addConstant("conv_w", TensorType.INT8, new int[] {4, 3, 3, 1}, int8(r, 36), cq);
        int cb = b.addInt32Constant("conv_b", new int[] {4}, ints(r, 4, 300), biasQuantization(4, Q_IN.scale(), cq));
        int c = b.addTensor("conv", TensorType.INT8, new int[] {1, 8, 8, 4}, act);
        b.addOperator(BuiltinOperator.CONV_2D, 3, BuiltinOptions.Conv2D.of(Padding.SAME, 1, 1, Activation.RELU),
                new int[] {in, cw, cb}, new int[] {c});
        Quantization dq = perChannel(4, 3);
        int dw = b.addConstant("dw_w", TensorType.INT8, new int[] {1, 3, 3, 4}, int8(r, 36), dq);
        int db = b.addInt32Constant("dw_b", new int[] {4}, ints(r, 4, 300), biasQuantization(4, act.scale(), dq));
        int d = b.addTensor("dw", TensorType.INT8, new int[] {1, 8, 8, 4}, act);
        b.addOperator(BuiltinOperator.DEPTHWISE_CONV_2D, 3, new BuiltinOptions.DepthwiseConv2D(Padding.SAME.code(),
                1, 1, 1, Activation.RELU6.code(), 1, 1), new int[] {c, dw, db}, new int[] {d});
        int p = b.addTensor("pool", TensorType.INT8, new int[] {1, 4, 4, 4}, act);
        b.addOperator(BuiltinOperator.MAX_POOL_2D, 2, new BuiltinOptions.Pool2D(Padding.VALID.code(), 2, 2, 2, 2, 0),
                new int[] {d}, new int[] {p});
        int shape = b.addInt32Constant("shape", new int[] {2}, new int[] {1, 64}, Quantization.NONE);
        int flat = b.addTensor("flat", TensorType.INT8, new int[] {1, 64}, act);
        b.addOperator(BuiltinOperator.RESHAPE, 1, new BuiltinOptions.Reshape(new int[] {1, 64}),
                new int[] {p, shape}, new int[] {flat});
        Quantization fq = Quantization.perTensor(0.02f, 0);
        int fw = b.addConstant("fc_w", TensorType.INT8, new int[] {5, 64}, int8(r, 320), fq);
        int fb = b.addInt32Constant("fc_b", new int[] {5}, ints(r, 5, 300),
                Quantization.perTensor(act.scale() * 0.02f, 0));
        int logits = b.addTensor("logits", TensorType.INT8, new int[] {1, 5}, Q_OUT);
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, 4, BuiltinOptions.FullyConnected.of(Activation.NONE),
                new int[] {flat, fw, fb}, new int[] {logits});
        int probs = b.addTensor("probs", TensorType.INT8, new int[] {1, 5}, Quantization.perTensor(1f / 256, -128));
        b.addOperator(BuiltinOperator.SOFTMAX, 1, new BuiltinOptions.Softmax(1f), new int[] {logits},
                new int[] {probs});
        b.addOutput(probs);
        return b.toBytes();
    }
}
