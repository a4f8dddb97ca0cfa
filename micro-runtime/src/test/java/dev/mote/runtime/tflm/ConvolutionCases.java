package dev.mote.runtime.tflm;

import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import dev.mote.runtime.testing.Windows;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.Padding;
import dev.mote.vocabulary.TensorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED cases: strides, SAME and VALID, dilations, depth multipliers,
 * grouped convolutions, per-channel and per-tensor weights, with and without bias, the fused activations, 1x1
 * inputs and kernels as large as the input, zero points at the extremes; int8 and float32.
 */
final class ConvolutionCases {
    private ConvolutionCases() {
    }

    static List<Variant> variants() {
        return List.of(
                new Variant(BuiltinOperator.CONV_2D, "CONV_2D int8", 1_000_000, (s, r) -> conv(s, r, false)),
                new Variant(BuiltinOperator.CONV_2D, "CONV_2D float32", 1_100_000, (s, r) -> conv(s, r, true)),
                new Variant(BuiltinOperator.DEPTHWISE_CONV_2D, "DEPTHWISE_CONV_2D int8", 1_200_000,
                        (s, r) -> depthwise(s, r, false)),
                new Variant(BuiltinOperator.DEPTHWISE_CONV_2D, "DEPTHWISE_CONV_2D float32", 1_300_000,
                        (s, r) -> depthwise(s, r, true)),
                new Variant(BuiltinOperator.FULLY_CONNECTED, "FULLY_CONNECTED int8", 1_400_000,
                        (s, r) -> fullyConnected(s, r, false)),
                new Variant(BuiltinOperator.FULLY_CONNECTED, "FULLY_CONNECTED float32", 1_500_000,
                        (s, r) -> fullyConnected(s, r, true)),
                new Variant(BuiltinOperator.FULLY_CONNECTED, "FULLY_CONNECTED int16", 1_600_000,
                        ConvolutionCases::fullyConnected16),
                new Variant(BuiltinOperator.CONV_2D, "CONV_2D int16", 1_700_000, ConvolutionCases::conv16),
                new Variant(BuiltinOperator.DEPTHWISE_CONV_2D, "DEPTHWISE_CONV_2D int16", 1_800_000,
                        ConvolutionCases::depthwise16));
    }

    // ---- 16x8: int16 activations, int8 weights, int32 / int64 / no bias ----

    /** The bias types of a 16x8 case: none one time in six, else int32 or int64 (as {@code allowInt32} says). */
    private static TensorType bias16(RandomCases r, boolean allowInt32) {
        if (r.nextInt(6) == 0) {
            return null;
        }
        return allowInt32 && r.nextBoolean() ? TensorType.INT32 : TensorType.INT64;
    }

    /** Uniform int16 data, raw little-endian. */
    static byte[] int16s(RandomCases r, int n) {
        ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putShort((short) r.between(Short.MIN_VALUE, Short.MAX_VALUE));
        }
        return b.array();
    }

    /**
     * An output scale that spreads the requantized accumulators of {@code depth} int16 x int8 products over int16;
     * one case in ten saturates (effective multiplier 1 to 4), one in twenty is tiny (outputs near 0).
     */
    private static float outputScale16(RandomCases r, float inScale, float filterScale, int depth) {
        double accSpread = Math.sqrt(depth) * 73.3 * 18918.0;
        double effective = switch (r.nextInt(20)) {
            case 0, 1 -> 1.0 + 3 * r.nextDouble();
            case 2 -> 1e-9 * r.scale(0.5, 4);
            default -> 8000.0 / accSpread * r.scale(0.25, 2);
        };
        return (float) (inScale * filterScale / effective);
    }

    /** Adds an int8 filter (per channel along {@code axis}, or per tensor) and a bias of {@code biasType}. */
    private static String weights16(SingleOpModel m, RandomCases r, int[] filterShape, int channels, int axis,
                                    float inScale, boolean perChannel, TensorType biasType, int depth) {
        float[] scales = new float[perChannel ? channels : 1];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = r.scale(0.0005, 0.05);
        }
        long[] zeros = new long[scales.length];
        m.constant(TensorType.INT8, filterShape, Draw.weights(r, Draw.count(filterShape)),
                perChannel ? Quantization.perChannel(scales, zeros, axis) : Quantization.perTensor(scales[0], 0));
        if (biasType != null) {
            float[] bScales = new float[scales.length];
            for (int i = 0; i < scales.length; i++) {
                bScales[i] = inScale * scales[i];
            }
            double spread = Math.sqrt(depth) * 128 * 32768;
            boolean wide = biasType == TensorType.INT64;
            ByteBuffer b = ByteBuffer.allocate((wide ? 8 : 4) * channels).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < channels; i++) {
                long v = (long) ((r.nextDouble() - 0.5) * spread * (wide && r.nextInt(8) == 0 ? 4096 : 1));
                if (wide) {
                    b.putLong(v);
                } else {
                    b.putInt((int) v);
                }
            }
            m.constant(biasType, new int[] {channels}, b.array(),
                    perChannel ? Quantization.perChannel(bScales, zeros, 0) : Quantization.perTensor(bScales[0], 0));
        }
        return (perChannel ? "per-channel" : "per-tensor") + " weights, " + (biasType == null ? "no" : biasType)
                + " bias";
    }

    /** A 16x8 int16 tensor's quantization: symmetric (zero point 0), or one time in {@code oddZp} a non-zero one. */
    private static Quantization int16Quantization(RandomCases r, float scale, int oddZp) {
        int zp = oddZp > 0 && r.nextInt(oddZp) == 0 ? r.between(-3000, 3000) : 0;
        return Quantization.perTensor(scale, zp);
    }

    private static DeviceCase weighted16(long seed, String opName, BuiltinOperator op, int version,
                                         BuiltinOptions options, RandomCases r, int[] inShape, int[] filterShape,
                                         int channels, int axis, boolean perChannel, TensorType biasType,
                                         int[] outShape, int depth, int oddZp, String what) {
        float inScale = r.scale(1e-5, 1e-2);
        Quantization inQ = int16Quantization(r, inScale, oddZp);
        SingleOpModel m = new SingleOpModel(op, version, options).input(TensorType.INT16, inShape, inQ);
        String weights = weights16(m, r, filterShape, channels, Math.max(axis, 0), inScale, perChannel, biasType,
                depth);
        Quantization outQ = int16Quantization(r, outputScale16(r, inScale, 0.01f, depth), oddZp);
        m.output(TensorType.INT16, outShape, outQ);
        return new DeviceCase(opName + " int16", seed, what + ", " + weights + ", input " + inQ + ", output "
                + outQ, m.bytes(), List.of(int16s(r, Draw.count(inShape))));
    }

    static DeviceCase fullyConnected16(long seed, RandomCases r) {
        int batches = r.nextInt(3) == 0 ? r.between(2, 4) : 1;
        int depth = r.nextInt(8) == 0 ? 1 : r.between(1, 96);
        int outDepth = r.nextInt(8) == 0 ? 1 : r.between(1, 40);
        Activation act = Draw.fused(r);
        boolean keepNumDims = r.nextInt(4) == 0;
        int[] inShape = keepNumDims ? new int[] {1, batches, depth} : new int[] {batches, depth};
        int[] outShape = keepNumDims ? new int[] {1, batches, outDepth} : new int[] {batches, outDepth};
        BuiltinOptions options = new BuiltinOptions.FullyConnected(act.code(), 0, keepNumDims, false);
        String what = "input " + Draw.shape(inShape) + ", " + outDepth + " outputs, " + act
                + (keepNumDims ? ", keep_num_dims" : "");
        return weighted16(seed, "FULLY_CONNECTED", BuiltinOperator.FULLY_CONNECTED, 7, options, r, inShape,
                new int[] {outDepth, depth}, outDepth, 0, r.nextInt(3) == 0, bias16(r, true),
                outShape, depth, 5, what);
    }

    static DeviceCase conv16(long seed, RandomCases r) {
        Window w = Window.draw(r);
        int batch = r.between(1, 2);
        int groups = r.nextInt(6) == 0 ? r.between(2, 3) : 1;
        int filterDepth = r.between(1, 6);
        int inC = filterDepth * groups;
        int outC = groups * r.between(1, r.nextInt(5) == 0 ? 12 : 4);
        Activation act = Draw.fused(r);
        int[] inShape = {batch, w.inH, w.inW, inC};
        int[] filterShape = {outC, w.fH, w.fW, filterDepth};
        int[] outShape = {batch, w.outH(), w.outW(), outC};
        BuiltinOptions options = new BuiltinOptions.Conv2D(w.padding(), w.strideW, w.strideH, act.code(), w.dilW,
                w.dilH);
        String what = "input " + Draw.shape(inShape) + ", filter " + Draw.shape(filterShape) + ", groups " + groups
                + ", " + w + ", " + act;
        return weighted16(seed, "CONV_2D", BuiltinOperator.CONV_2D, 4, options, r, inShape, filterShape, outC, 0,
                r.nextInt(4) != 0, bias16(r, true), outShape, w.fH * w.fW * filterDepth, 8, what);
    }

    static DeviceCase depthwise16(long seed, RandomCases r) {
        return depthwise16(seed, r, false);
    }

    /**
     * A 16x8 DEPTHWISE_CONV_2D with an int32 bias, which TFLM allocates but reads as int64 (Mote refuses it and
     * declares its footprint only).
     */
    static DeviceCase depthwise16Int32Bias(long seed, RandomCases r) {
        return depthwise16(seed, r, true);
    }

    private static DeviceCase depthwise16(long seed, RandomCases r, boolean int32Bias) {
        Window w = Window.draw(r);
        int batch = r.between(1, 2);
        int inC = r.between(1, 8);
        int multiplier = r.nextInt(3) == 0 ? r.between(2, 4) : 1;
        int outC = inC * multiplier;
        Activation act = Draw.fused(r);
        int[] inShape = {batch, w.inH, w.inW, inC};
        int[] filterShape = {1, w.fH, w.fW, outC};
        int[] outShape = {batch, w.outH(), w.outW(), outC};
        BuiltinOptions options = new BuiltinOptions.DepthwiseConv2D(w.padding(), w.strideW, w.strideH, multiplier,
                act.code(), w.dilW, w.dilH);
        String what = "input " + Draw.shape(inShape) + ", depth multiplier " + multiplier + ", " + w + ", " + act;
        // TFLM's 16x8 DEPTHWISE_CONV_2D reads its bias as int64 only
        return weighted16(seed, "DEPTHWISE_CONV_2D", BuiltinOperator.DEPTHWISE_CONV_2D, 5, options, r, inShape,
                filterShape, outC, 3, r.nextInt(4) != 0, int32Bias ? TensorType.INT32 : bias16(r, false), outShape,
                w.fH * w.fW, 8, what);
    }

    /** A sliding window: input size, filter size, stride, dilation, padding, output size (per spatial axis). */
    record Window(int inH, int inW, int fH, int fW, int strideH, int strideW, int dilH, int dilW, boolean same) {
        static Window draw(RandomCases r) {
            switch (r.nextInt(6)) {
                case 0 -> { // kernel as large as the input, VALID: one output pixel
                    int h = r.between(1, 6);
                    int w = r.between(1, 6);
                    return new Window(h, w, h, w, r.between(1, 3), r.between(1, 3), 1, 1, false);
                }
                case 1 -> { // 1x1 input
                    int f = r.between(1, 3);
                    return new Window(1, 1, f, f, r.between(1, 2), r.between(1, 2), 1, 1, true);
                }
                case 2 -> { // pointwise
                    int h = r.between(1, 8);
                    int w = r.between(1, 8);
                    return new Window(h, w, 1, 1, 1, 1, 1, 1, r.nextBoolean());
                }
                default -> {
                    while (true) {
                        Window c = new Window(r.between(1, 11), r.between(1, 11), r.between(1, 5), r.between(1, 5),
                                r.between(1, 3), r.between(1, 3), r.nextInt(3) == 0 ? r.between(2, 3) : 1,
                                r.nextInt(3) == 0 ? r.between(2, 3) : 1, r.nextBoolean());
                        if (c.same || ((c.fH - 1) * c.dilH + 1 <= c.inH && (c.fW - 1) * c.dilW + 1 <= c.inW)) {
                            return c;
                        }
                    }
                }
            }
        }

        int outH() {
            return Windows.outSize(same, inH, fH, strideH, dilH);
        }

        int outW() {
            return Windows.outSize(same, inW, fW, strideW, dilW);
        }

        int padding() {
            return (same ? Padding.SAME : Padding.VALID).code();
        }

        @Override
        public String toString() {
            return "in " + inH + "x" + inW + ", filter " + fH + "x" + fW + ", stride " + strideH + "x" + strideW
                    + ", dilation " + dilH + "x" + dilW + ", " + (same ? "SAME" : "VALID") + ", out " + outH() + "x"
                    + outW();
        }
    }

    /** An output scale that spreads outputs of an accumulator over {@code depth} products across int8. */
    private static float outputScale(RandomCases r, float inScale, float filterScale, int depth, int inZp) {
        double accSpread = Math.sqrt(depth * 5376.0 * (5461.0 + (inZp + 0.5) * (inZp + 0.5)));
        double effective = r.nextInt(20) == 0 ? 1.0 + 3 * r.nextDouble() : 40.0 / accSpread * r.scale(0.25, 2);
        return (float) (inScale * filterScale / effective);
    }

    private static int[] bias(RandomCases r, int n, int depth) {
        int[] b = new int[n];
        double spread = Math.sqrt(depth) * 128 * 128;
        for (int i = 0; i < n; i++) {
            b[i] = (int) ((r.nextDouble() - 0.5) * spread);
        }
        return b;
    }

    /** Adds an int8 filter (per channel along {@code axis}, or per tensor) and an optional int32 bias. */
    private static String int8Weights(SingleOpModel m, RandomCases r, int[] filterShape, int channels, int axis,
                                      float inScale, boolean perChannel, boolean withBias, int depth) {
        float[] scales = new float[perChannel ? channels : 1];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = r.scale(0.0005, 0.05);
        }
        long[] zeros = new long[scales.length];
        m.constant(TensorType.INT8, filterShape, Draw.weights(r, Draw.count(filterShape)),
                perChannel ? Quantization.perChannel(scales, zeros, axis) : Quantization.perTensor(scales[0], 0));
        if (withBias) {
            float[] bScales = new float[scales.length];
            for (int i = 0; i < scales.length; i++) {
                bScales[i] = inScale * scales[i];
            }
            m.int32Constant(new int[] {channels}, bias(r, channels, depth),
                    perChannel ? Quantization.perChannel(bScales, zeros, 0) : Quantization.perTensor(bScales[0], 0));
        }
        return (perChannel ? "per-channel" : "per-tensor") + " weights" + (withBias ? "" : ", no bias");
    }

    private static void floatWeights(SingleOpModel m, RandomCases r, int[] filterShape, int channels,
                                     boolean withBias) {
        m.floatConstant(filterShape, Draw.uniform(r, Draw.count(filterShape), 1));
        if (withBias) {
            m.floatConstant(new int[] {channels}, Draw.uniform(r, channels, 1));
        }
    }

    static DeviceCase conv(long seed, RandomCases r, boolean floats) {
        Window w = Window.draw(r);
        int batch = r.between(1, 2);
        int groups = r.nextInt(6) == 0 ? r.between(2, 3) : 1;
        int filterDepth = r.between(1, 6);
        int inC = filterDepth * groups;
        int outC = groups * r.between(1, r.nextInt(5) == 0 ? 12 : 4);
        Activation act = Draw.fused(r);
        boolean withBias = r.nextInt(6) != 0;
        int[] inShape = {batch, w.inH, w.inW, inC};
        int[] filterShape = {outC, w.fH, w.fW, filterDepth};
        int[] outShape = {batch, w.outH(), w.outW(), outC};
        BuiltinOptions options = new BuiltinOptions.Conv2D(w.padding(), w.strideW, w.strideH, act.code(), w.dilW,
                w.dilH);
        String what = "input " + Draw.shape(inShape) + ", filter " + Draw.shape(filterShape) + ", groups " + groups
                + ", " + w + ", " + act;
        return weighted(seed, r, floats, "CONV_2D", BuiltinOperator.CONV_2D, 3, options, inShape, filterShape, outC,
                0, outShape, withBias, w.fH * w.fW * filterDepth, what);
    }

    static DeviceCase depthwise(long seed, RandomCases r, boolean floats) {
        Window w = Window.draw(r);
        int batch = r.between(1, 2);
        int inC = r.between(1, 8);
        int multiplier = r.nextInt(3) == 0 ? r.between(2, 4) : 1;
        int outC = inC * multiplier;
        Activation act = Draw.fused(r);
        boolean withBias = r.nextInt(6) != 0;
        int[] inShape = {batch, w.inH, w.inW, inC};
        int[] filterShape = {1, w.fH, w.fW, outC};
        int[] outShape = {batch, w.outH(), w.outW(), outC};
        BuiltinOptions options = new BuiltinOptions.DepthwiseConv2D(w.padding(), w.strideW, w.strideH, multiplier,
                act.code(), w.dilW, w.dilH);
        String what = "input " + Draw.shape(inShape) + ", depth multiplier " + multiplier + ", " + w + ", " + act;
        return weighted(seed, r, floats, "DEPTHWISE_CONV_2D", BuiltinOperator.DEPTHWISE_CONV_2D, 2, options, inShape,
                filterShape, outC, 3, outShape, withBias, w.fH * w.fW, what);
    }

    static DeviceCase fullyConnected(long seed, RandomCases r, boolean floats) {
        int batches = r.nextInt(3) == 0 ? r.between(2, 4) : 1;
        int depth = r.nextInt(8) == 0 ? 1 : r.between(1, 96);
        int outDepth = r.nextInt(8) == 0 ? 1 : r.between(1, 40);
        Activation act = Draw.fused(r);
        boolean withBias = r.nextInt(5) != 0;
        boolean keepNumDims = r.nextInt(4) == 0;
        int[] inShape = keepNumDims ? new int[] {1, batches, depth} : new int[] {batches, depth};
        int[] outShape = keepNumDims ? new int[] {1, batches, outDepth} : new int[] {batches, outDepth};
        BuiltinOptions options = new BuiltinOptions.FullyConnected(act.code(), 0, keepNumDims, false);
        String what = "input " + Draw.shape(inShape) + ", " + outDepth + " outputs, " + act
                + (keepNumDims ? ", keep_num_dims" : "");
        // FULLY_CONNECTED weights are per tensor in TFLM's int8 kernel
        return weighted(seed, r, floats, "FULLY_CONNECTED", BuiltinOperator.FULLY_CONNECTED, floats ? 1 : 4, options,
                inShape, new int[] {outDepth, depth}, outDepth, -1, outShape, withBias, depth, what);
    }

    /** {@code axis < 0}: per-tensor weights only. */
    private static DeviceCase weighted(long seed, RandomCases r, boolean floats, String opName, BuiltinOperator op,
                                       int version, BuiltinOptions options, int[] inShape, int[] filterShape,
                                       int channels, int axis, int[] outShape, boolean withBias, int depth,
                                       String what) {
        int inCount = Draw.count(inShape);
        if (floats) {
            SingleOpModel m = new SingleOpModel(op, 1, options).input(TensorType.FLOAT32, inShape, Quantization.NONE);
            floatWeights(m, r, filterShape, channels, withBias);
            m.output(TensorType.FLOAT32, outShape, Quantization.NONE);
            return new DeviceCase(opName + " float32", seed, what + (withBias ? "" : ", no bias"), m.bytes(),
                    List.of(Draw.floats(r, inCount, 1)));
        }
        float inScale = r.scale(0.002, 0.1);
        int inZp = Draw.zeroPoint(r);
        boolean perChannel = axis >= 0 && r.nextInt(4) != 0;
        SingleOpModel m = new SingleOpModel(op, version, options)
                .input(TensorType.INT8, inShape, Quantization.perTensor(inScale, inZp));
        String weights = int8Weights(m, r, filterShape, channels, Math.max(axis, 0), inScale, perChannel, withBias,
                depth);
        float outScale = outputScale(r, inScale, 0.01f, depth, inZp);
        int outZp = Draw.zeroPoint(r);
        m.output(TensorType.INT8, outShape, Quantization.perTensor(outScale, outZp));
        return new DeviceCase(opName + " int8", seed, what + ", " + weights + ", input zp " + inZp + ", output zp "
                + outZp, m.bytes(), List.of(Draw.int8s(r, inCount)));
    }
}
