package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.Padding;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.ModelRuns;
import dev.mote.runtime.testing.NegativeHalfTie;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import dev.mote.runtime.testing.Windows;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CONV_2D on seeded random single-op models in Mote and in desktop TFLite. int8: every Mote output equals an
 * independent straight-line recomputation with TFLM's arithmetic, and equals TFLite's output except where the final
 * shift drops an exact negative half (proven per element, counted). float32: within a relative tolerance.
 */
class Conv2DTfliteTest {
    static final int INT8_CASES = 1000;
    static final int FLOAT_CASES = 300;
    static final int WIDE_INT8_CASES = 120;
    /** float tolerance: |mote - tflite| <= FLOAT_TOLERANCE * (1 + sum of |input * weight| + |bias|). */
    static final double FLOAT_TOLERANCE = 1e-5;

    /** One random convolution: shapes, options and data. */
    record Case(int seed, int batch, int inH, int inW, int inC, int outC, int fH, int fW, int strideH, int strideW,
                int dilH, int dilW, boolean same, Activation activation, int outH, int outW) {

        static Case random(int seed, RandomCases r) {
            while (true) {
                int inH = 1 + r.nextInt(12);
                int inW = 1 + r.nextInt(12);
                int fH = 1 + r.nextInt(5);
                int fW = 1 + r.nextInt(5);
                int dilH = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 1;
                int dilW = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 1;
                boolean same = r.nextBoolean();
                if (!same && ((fH - 1) * dilH + 1 > inH || (fW - 1) * dilW + 1 > inW)) {
                    continue;
                }
                int strideH = 1 + r.nextInt(3);
                int strideW = 1 + r.nextInt(3);
                Activation act = Activation.values()[new int[] {0, 1, 2, 3}[r.nextInt(4)]];
                int outH = Windows.outSize(same, inH, fH, strideH, dilH);
                int outW = Windows.outSize(same, inW, fW, strideW, dilW);
                return new Case(seed, 1 + r.nextInt(2), inH, inW, 1 + r.nextInt(8), 1 + r.nextInt(8), fH, fW, strideH,
                        strideW, dilH, dilW, same, act, outH, outW);
            }
        }

        /** A case with 24 to 72 output channels; one in three a 1x1 stride-1 pointwise convolution. */
        static Case wide(int seed, RandomCases r) {
            Activation act = Activation.values()[r.nextInt(4)];
            int batch = 1 + r.nextInt(2);
            int inC = r.nextInt(4) == 0 ? 1 + r.nextInt(4) : 8 + r.nextInt(63);
            int outC = 24 + r.nextInt(49);
            int inH = 1 + r.nextInt(9);
            int inW = 1 + r.nextInt(9);
            switch (r.nextInt(3)) {
                case 0 -> {
                    return new Case(seed, batch, inH, inW, inC, outC, 1, 1, 1, 1, 1, 1, r.nextBoolean(), act, inH, inW);
                }
                case 1 -> {
                    int stride = 1 + r.nextInt(2);
                    return new Case(seed, batch, inH, inW, inC, outC, 3, 3, stride, stride, 1, 1, true, act,
                            Windows.outSize(true, inH, 3, stride, 1), Windows.outSize(true, inW, 3, stride, 1));
                }
                default -> {
                    int fH = 1 + r.nextInt(3);
                    int fW = 1 + r.nextInt(3);
                    int dil = 1 + r.nextInt(2);
                    int stride = 1 + r.nextInt(2);
                    return new Case(seed, batch, inH, inW, inC, outC, fH, fW, stride, stride, dil, dil, true, act,
                            Windows.outSize(true, inH, fH, stride, dil), Windows.outSize(true, inW, fW, stride, dil));
                }
            }
        }

        int padH() {
            return Windows.padBefore(inH, fH, strideH, dilH, outH);
        }

        int padW() {
            return Windows.padBefore(inW, fW, strideW, dilW, outW);
        }

        BuiltinOptions.Conv2D options() {
            return new BuiltinOptions.Conv2D((same ? Padding.SAME : Padding.VALID).code(), strideW, strideH,
                    activation.code(), dilW, dilH);
        }

        int[] inputShape() {
            return new int[] {batch, inH, inW, inC};
        }

        int[] filterShape() {
            return new int[] {outC, fH, fW, inC};
        }

        int[] outputShape() {
            return new int[] {batch, outH, outW, outC};
        }

        /** The straight reference loop for one int8 output's accumulator (bias not included). */
        int accumulator(byte[] in, byte[] w, int inputZeroPoint, int b, int oy, int ox, int oc) {
            int acc = 0;
            for (int fy = 0; fy < fH; fy++) {
                for (int fx = 0; fx < fW; fx++) {
                    int iy = oy * strideH - padH() + fy * dilH;
                    int ix = ox * strideW - padW() + fx * dilW;
                    if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) {
                        continue;
                    }
                    for (int ic = 0; ic < inC; ic++) {
                        int x = in[((b * inH + iy) * inW + ix) * inC + ic];
                        int wv = w[((oc * fH + fy) * fW + fx) * inC + ic];
                        acc += wv * (x - inputZeroPoint);
                    }
                }
            }
            return acc;
        }

        /** The float reference for one output: total and the sum of magnitudes (for the tolerance). */
        double[] floatTotal(float[] in, float[] w, int b, int oy, int ox, int oc) {
            double total = 0;
            double magnitude = 0;
            for (int fy = 0; fy < fH; fy++) {
                for (int fx = 0; fx < fW; fx++) {
                    int iy = oy * strideH - padH() + fy * dilH;
                    int ix = ox * strideW - padW() + fx * dilW;
                    if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) {
                        continue;
                    }
                    for (int ic = 0; ic < inC; ic++) {
                        double p = (double) in[((b * inH + iy) * inW + ix) * inC + ic]
                                * w[((oc * fH + fy) * fW + fx) * inC + ic];
                        total += p;
                        magnitude += Math.abs(p);
                    }
                }
            }
            return new double[] {total, magnitude};
        }
    }

    /** An int8 CONV_2D model; {@code bias == null} leaves the bias out (two inputs). */
    static byte[] int8Model(Case c, float inScale, int inZp, float[] fScales, byte[] weights, int[] bias,
                            float outScale, int outZp) {
        SingleOpModel m = new SingleOpModel(BuiltinOperator.CONV_2D, 3, c.options())
                .input(TensorType.INT8, c.inputShape(), Quantization.perTensor(inScale, inZp));
        addInt8FilterAndBias(m, c.filterShape(), weights, fScales, 0, bias, inScale);
        return m.output(TensorType.INT8, c.outputShape(), Quantization.perTensor(outScale, outZp)).bytes();
    }

    /**
     * Adds a convolution's int8 filter (per-channel scales along {@code channelDimension}, zero zero points) and,
     * unless {@code bias == null}, its int32 bias with scales {@code inScale * filterScale}.
     */
    static void addInt8FilterAndBias(SingleOpModel m, int[] filterShape, byte[] weights, float[] fScales,
                                     int channelDimension, int[] bias, float inScale) {
        long[] zeros = new long[fScales.length];
        m.constant(TensorType.INT8, filterShape, weights, Quantization.perChannel(fScales, zeros, channelDimension));
        if (bias != null) {
            float[] bScales = new float[fScales.length];
            for (int i = 0; i < bScales.length; i++) {
                bScales[i] = inScale * fScales[i];
            }
            m.int32Constant(new int[] {bias.length}, bias, Quantization.perChannel(bScales, zeros, 0));
        }
    }

    /** A float32 CONV_2D model; {@code bias == null} leaves the bias out. */
    static byte[] floatModel(Case c, float[] weights, float[] bias) {
        return floatModel(BuiltinOperator.CONV_2D, c.options(), c.inputShape(), c.filterShape(), c.outputShape(),
                weights, bias);
    }

    /** A float32 CONV_2D or DEPTHWISE_CONV_2D model; {@code bias == null} leaves the bias out. */
    static byte[] floatModel(BuiltinOperator op, BuiltinOptions options, int[] inShape, int[] filterShape,
                             int[] outShape, float[] weights, float[] bias) {
        SingleOpModel m = new SingleOpModel(op, 2, options).input(TensorType.FLOAT32, inShape, Quantization.NONE)
                .floatConstant(filterShape, weights);
        if (bias != null) {
            m.floatConstant(new int[] {bias.length}, bias);
        }
        return m.output(TensorType.FLOAT32, outShape, Quantization.NONE).bytes();
    }

    @Test
    void int8MatchesTfliteExceptProvenNegativeHalfTies() {
        NegativeHalfTie.Tally tally = new NegativeHalfTie.Tally();
        int casesWithTies = 0;
        for (int seed = 1; seed <= INT8_CASES; seed++) {
            RandomCases r = new RandomCases(new SplittableRandom(seed * 7919L));
            casesWithTies += checkInt8(Case.random(seed, r), r, tally) ? 1 : 0;
        }
        System.out.printf("CONV_2D int8: %d cases, %d outputs (%d inside the clamping range); %d outputs end in an "
                + "exact negative half whose two roundings give different outputs; %d outputs (in %d cases) differ "
                + "from desktop TFLite, each such a half%n", INT8_CASES, tally.outputs(), tally.unclamped(),
                tally.roundingMatters(), tally.ties(), casesWithTies);
        assertTrue(tally.outputs() > 10_000, "enough outputs compared: " + tally.outputs());
        tally.assertExercisesRounding();
    }

    /**
     * The shapes of the int8 fast path's other inner loop and of real models: 24 to 72 output channels (vector lane
     * loops instead of the pair-packed scalar loop), deep patches (1x1 pointwise convolutions over up to 70 input
     * channels, 3x3 SAME stride 2, dilation 2), patch depths that are and are not multiples of 4.
     */
    @Test
    void int8WideChannelsMatchTfliteExceptProvenNegativeHalfTies() {
        NegativeHalfTie.Tally tally = new NegativeHalfTie.Tally();
        for (int seed = 1; seed <= WIDE_INT8_CASES; seed++) {
            RandomCases r = new RandomCases(new SplittableRandom(seed * 15485863L));
            checkInt8(Case.wide(seed, r), r, tally);
        }
        System.out.printf("CONV_2D int8, wide channels: %d cases, %d outputs (%d inside the clamping range), %d "
                + "differ from desktop TFLite, each a negative half%n", WIDE_INT8_CASES, tally.outputs(),
                tally.unclamped(), tally.ties());
        tally.assertExercisesRounding();
    }

    /** Runs one int8 case in Mote and TFLite and checks every output; true if some output was a tie. */
    static boolean checkInt8(Case c, RandomCases r, NegativeHalfTie.Tally tally) {
        // quantization: input per tensor, weights per channel (or per tensor in 1 of 5 cases), bias int32
        float inScale = r.scale(0.002, 0.1);
        int inZp = r.nextInt(256) - 128;
        boolean perChannel = r.nextInt(5) != 0;
        float[] fScales = new float[perChannel ? c.outC : 1];
        for (int i = 0; i < fScales.length; i++) {
            fScales[i] = r.scale(0.0005, 0.05);
        }
        int depth = c.fH * c.fW * c.inC;
        // the accumulator's standard deviation for uniform int8 inputs and weights: outputs then spread over
        // the int8 range; 1 case in 20 takes an effective multiplier above 1 (a left shift)
        double accSpread = Math.sqrt(depth * 5376.0 * (5461.0 + (inZp + 0.5) * (inZp + 0.5)));
        double effective = r.nextInt(20) == 0 ? 1.0 + 3 * r.nextDouble() : 40.0 / accSpread * r.scale(0.25, 2);
        float outScale = (float) (inScale * fScales[0] / effective);
        int outZp = r.nextInt(256) - 128;
        byte[] weights = new byte[c.outC * depth];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (r.nextInt(255) - 127);
        }
        boolean hasBias = r.nextInt(6) != 0;
        int[] bias = new int[c.outC];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (int) ((r.nextDouble() - 0.5) * accSpread);
        }
        byte[] model = int8Model(c, inScale, inZp, fScales, weights, hasBias ? bias : null, outScale, outZp);
        // desktop TFLite 2.8 requires CONV_2D's bias: it gets the same model with an all-zero bias
        byte[] tfliteModel = hasBias ? model
                : int8Model(c, inScale, inZp, fScales, weights, new int[c.outC], outScale, outZp);
        byte[] input = new byte[c.batch * c.inH * c.inW * c.inC];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) r.nextInt(256);
        }

        byte[] mote = ModelRuns.mote(model, input);
        byte[] tflite = ModelRuns.tflite(tfliteModel, input);
        assertEquals(tflite.length, mote.length, "output size, " + c);
        QuantizedMath.IntRange range = QuantizedMath.activationRange(c.activation, outScale, outZp, -128, 127);
        int caseTies = 0;
        for (int bIdx = 0; bIdx < c.batch; bIdx++) {
            for (int oy = 0; oy < c.outH; oy++) {
                for (int ox = 0; ox < c.outW; ox++) {
                    for (int oc = 0; oc < c.outC; oc++) {
                        int i = ((bIdx * c.outH + oy) * c.outW + ox) * c.outC + oc;
                        int acc = c.accumulator(input, weights, inZp, bIdx, oy, ox, oc) + (hasBias ? bias[oc] : 0);
                        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(
                                (double) inScale * fScales[perChannel ? oc : 0] / outScale);
                        if (tally.check(acc, m.multiplier(), m.shift(), outZp, range.min(), range.max(), mote[i],
                                tflite[i], () -> i + ", " + c)) {
                            caseTies++;
                        }
                    }
                }
            }
        }
        return caseTies > 0;
    }

    @Test
    void float32MatchesTfliteWithinTolerance() {
        double worst = 0;
        long elements = 0;
        for (int seed = 1; seed <= FLOAT_CASES; seed++) {
            RandomCases r = new RandomCases(new SplittableRandom(seed * 104729L));
            Case c = Case.random(seed, r);
            float[] weights = new float[c.outC * c.fH * c.fW * c.inC];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) (r.nextDouble() * 2 - 1);
            }
            boolean hasBias = r.nextInt(6) != 0;
            float[] bias = new float[c.outC];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) (r.nextDouble() * 2 - 1);
            }
            byte[] model = floatModel(c, weights, hasBias ? bias : null);
            byte[] tfliteModel = hasBias ? model : floatModel(c, weights, new float[c.outC]);
            float[] inputValues = new float[c.batch * c.inH * c.inW * c.inC];
            for (int i = 0; i < inputValues.length; i++) {
                inputValues[i] = (float) (r.nextDouble() * 2 - 1);
            }
            byte[] input = LittleEndian.floats(inputValues);
            float[] mote = LittleEndian.toFloats(ModelRuns.mote(model, input));
            float[] tflite = LittleEndian.toFloats(ModelRuns.tflite(tfliteModel, input));
            assertEquals(tflite.length, mote.length, "output size, " + c);
            for (int bIdx = 0; bIdx < c.batch; bIdx++) {
                for (int oy = 0; oy < c.outH; oy++) {
                    for (int ox = 0; ox < c.outW; ox++) {
                        for (int oc = 0; oc < c.outC; oc++) {
                            int i = ((bIdx * c.outH + oy) * c.outW + ox) * c.outC + oc;
                            double[] ref = c.floatTotal(inputValues, weights, bIdx, oy, ox, oc);
                            double scale = 1 + ref[1] + Math.abs(hasBias ? bias[oc] : 0);
                            double diff = Math.abs(mote[i] - tflite[i]) / scale;
                            worst = Math.max(worst, diff);
                            assertTrue(diff <= FLOAT_TOLERANCE, () -> "Mote " + mote[i] + " vs TFLite " + tflite[i] + " at "
                                    + i + ", " + c + ", " + Arrays.toString(ref));
                            elements++;
                        }
                    }
                }
            }
        }
        System.out.printf("CONV_2D float32: %d cases, %d outputs, largest |mote - tflite| / (1 + sum|x*w| + |b|) "
                + "= %.3g%n", FLOAT_CASES, elements, worst);
    }
}
