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

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DEPTHWISE_CONV_2D on seeded random single-op models (depth multipliers 1 to 4, dilation, both paddings) in Mote
 * and in desktop TFLite. int8: every Mote output equals an independent straight-line recomputation with TFLM's
 * arithmetic, and equals TFLite's output except where the final shift drops an exact negative half (proven per
 * element, counted). float32: within a relative tolerance.
 */
class DepthwiseConv2DTfliteTest {
    static final int INT8_CASES = 600;
    static final int FLOAT_CASES = 200;
    static final int WIDE_INT8_CASES = 120;
    /** float tolerance: |mote - tflite| <= FLOAT_TOLERANCE * (1 + sum of |input * weight| + |bias|). */
    static final double FLOAT_TOLERANCE = 1e-5;

    /** One random depthwise convolution. */
    record Case(int batch, int inH, int inW, int inC, int multiplier, int fH, int fW, int strideH, int strideW,
                int dilH, int dilW, boolean same, Activation activation, int outH, int outW) {

        static Case random(RandomCases r) {
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
                Activation act = Activation.values()[r.nextInt(4)];
                int multiplier = r.nextBoolean() ? 1 : 1 + r.nextInt(4);
                return new Case(1 + r.nextInt(2), inH, inW, 1 + r.nextInt(12), multiplier, fH, fW, strideH, strideW,
                        dilH, dilW, same, act, Windows.outSize(same, inH, fH, strideH, dilH),
                        Windows.outSize(same, inW, fW, strideW, dilW));
            }
        }

        /** A case with 24 to 96 output channels (see the wide-channel test). */
        static Case wide(RandomCases r) {
            Activation act = Activation.values()[r.nextInt(4)];
            int batch = 1 + r.nextInt(2);
            int inH = 1 + r.nextInt(10);
            int inW = 1 + r.nextInt(10);
            int inC;
            int multiplier;
            if (r.nextInt(4) == 0) {
                inC = 1;
                multiplier = 24 + r.nextInt(17);
            } else {
                multiplier = 1 + r.nextInt(3);
                inC = (24 + r.nextInt(73)) / multiplier;
            }
            int fH = 3;
            int fW = 3;
            int dil = 1;
            int stride = 1 + r.nextInt(2);
            if (r.nextInt(3) == 0) {
                fH = 1 + r.nextInt(4);
                fW = 1 + r.nextInt(4);
                dil = 1 + r.nextInt(2);
            }
            boolean same = r.nextInt(4) != 0 || (fH - 1) * dil + 1 > inH || (fW - 1) * dil + 1 > inW;
            return new Case(batch, inH, inW, inC, multiplier, fH, fW, stride, stride, dil, dil, same, act,
                    Windows.outSize(same, inH, fH, stride, dil), Windows.outSize(same, inW, fW, stride, dil));
        }

        int outC() {
            return inC * multiplier;
        }

        int padH() {
            return Windows.padBefore(inH, fH, strideH, dilH, outH);
        }

        int padW() {
            return Windows.padBefore(inW, fW, strideW, dilW, outW);
        }

        BuiltinOptions.DepthwiseConv2D options() {
            return new BuiltinOptions.DepthwiseConv2D((same ? Padding.SAME : Padding.VALID).code(), strideW, strideH,
                    multiplier, activation.code(), dilW, dilH);
        }

        int[] inputShape() {
            return new int[] {batch, inH, inW, inC};
        }

        int[] filterShape() {
            return new int[] {1, fH, fW, outC()};
        }

        int[] outputShape() {
            return new int[] {batch, outH, outW, outC()};
        }

        /** Visits the taps of output (b, oy, ox, oc) inside the image: (input index, filter index). */
        void taps(int b, int oy, int ox, int oc, TapVisitor visitor) {
            int ic = oc / multiplier;
            for (int fy = 0; fy < fH; fy++) {
                for (int fx = 0; fx < fW; fx++) {
                    int iy = oy * strideH - padH() + fy * dilH;
                    int ix = ox * strideW - padW() + fx * dilW;
                    if (iy >= 0 && iy < inH && ix >= 0 && ix < inW) {
                        visitor.tap(((b * inH + iy) * inW + ix) * inC + ic, (fy * fW + fx) * outC() + oc);
                    }
                }
            }
        }
    }

    interface TapVisitor {
        void tap(int inputIndex, int filterIndex);
    }

    static byte[] int8Model(Case c, float inScale, int inZp, float[] fScales, byte[] weights, int[] bias,
                            float outScale, int outZp) {
        SingleOpModel m = new SingleOpModel(BuiltinOperator.DEPTHWISE_CONV_2D, 3, c.options())
                .input(TensorType.INT8, c.inputShape(), Quantization.perTensor(inScale, inZp));
        Conv2DTfliteTest.addInt8FilterAndBias(m, c.filterShape(), weights, fScales, 3, bias, inScale);
        return m.output(TensorType.INT8, c.outputShape(), Quantization.perTensor(outScale, outZp)).bytes();
    }

    static byte[] floatModel(Case c, float[] weights, float[] bias) {
        return Conv2DTfliteTest.floatModel(BuiltinOperator.DEPTHWISE_CONV_2D, c.options(), c.inputShape(),
                c.filterShape(), c.outputShape(), weights, bias);
    }

    @Test
    void int8MatchesTfliteExceptProvenNegativeHalfTies() {
        NegativeHalfTie.Tally tally = new NegativeHalfTie.Tally();
        int casesWithTies = 0;
        for (int seed = 1; seed <= INT8_CASES; seed++) {
            RandomCases r = new RandomCases(new SplittableRandom(seed * 6271L));
            casesWithTies += checkInt8(Case.random(r), r, tally) ? 1 : 0;
        }
        System.out.printf("DEPTHWISE_CONV_2D int8: %d cases, %d outputs (%d inside the clamping range); %d outputs end in an "
                + "exact negative half whose two roundings give different outputs; %d outputs (in %d cases) differ "
                + "from desktop TFLite, each such a half%n", INT8_CASES, tally.outputs(), tally.unclamped(),
                tally.roundingMatters(), tally.ties(), casesWithTies);
        assertTrue(tally.outputs() > 10_000, "enough outputs compared: " + tally.outputs());
        tally.assertExercisesRounding();
    }

    /**
     * The shapes of the int8 fast paths' vector lane loops and of real models: 24 to 96 output channels over many
     * input channels (depth multipliers 1 to 3; groups of 1 to 3 output pixels per lane array), or over one input
     * channel with a depth multiplier of 24 to 40 (the one-channel path, a one-group convolution), with 3x3 SAME
     * windows at stride 1 and 2, dilation 2 and other sizes.
     */
    @Test
    void int8WideChannelsMatchTfliteExceptProvenNegativeHalfTies() {
        NegativeHalfTie.Tally tally = new NegativeHalfTie.Tally();
        for (int seed = 1; seed <= WIDE_INT8_CASES; seed++) {
            RandomCases r = new RandomCases(new SplittableRandom(seed * 32452843L));
            checkInt8(Case.wide(r), r, tally);
        }
        System.out.printf("DEPTHWISE_CONV_2D int8, wide channels: %d cases, %d outputs (%d inside the clamping "
                + "range), %d differ from desktop TFLite, each a negative half%n", WIDE_INT8_CASES, tally.outputs(),
                tally.unclamped(), tally.ties());
        tally.assertExercisesRounding();
    }

    /** Runs one int8 case in Mote and TFLite and checks every output; true if some output was a tie. */
    static boolean checkInt8(Case c, RandomCases r, NegativeHalfTie.Tally tally) {
        float inScale = r.scale(0.002, 0.1);
        int inZp = r.nextInt(256) - 128;
        boolean perChannel = r.nextInt(5) != 0;
        float[] fScales = new float[perChannel ? c.outC() : 1];
        for (int i = 0; i < fScales.length; i++) {
            fScales[i] = r.scale(0.0005, 0.05);
        }
        double accSpread = Math.sqrt(c.fH * c.fW * 5376.0 * (5461.0 + (inZp + 0.5) * (inZp + 0.5)));
        double effective = r.nextInt(20) == 0 ? 1.0 + 3 * r.nextDouble()
                : 40.0 / accSpread * r.scale(0.25, 2);
        float outScale = (float) (inScale * fScales[0] / effective);
        int outZp = r.nextInt(256) - 128;
        byte[] weights = new byte[c.fH * c.fW * c.outC()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (r.nextInt(255) - 127);
        }
        boolean hasBias = r.nextInt(6) != 0;
        int[] bias = new int[c.outC()];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (int) ((r.nextDouble() - 0.5) * accSpread);
        }
        byte[] model = int8Model(c, inScale, inZp, fScales, weights, hasBias ? bias : null, outScale, outZp);
        byte[] input = new byte[c.batch * c.inH * c.inW * c.inC];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) r.nextInt(256);
        }
        byte[] mote = ModelRuns.mote(model, input);
        // desktop TFLite 2.8 aborts on a DEPTHWISE_CONV_2D without bias: it gets the model with a zero bias
        byte[] tfliteModel = hasBias ? model
                : int8Model(c, inScale, inZp, fScales, weights, new int[c.outC()], outScale, outZp);
        byte[] tflite = ModelRuns.tflite(tfliteModel, input);
        assertEquals(tflite.length, mote.length, "output size, " + c);
        QuantizedMath.IntRange range = QuantizedMath.activationRange(c.activation, outScale, outZp, -128, 127);
        int caseTies = 0;
        for (int b = 0; b < c.batch; b++) {
            for (int oy = 0; oy < c.outH; oy++) {
                for (int ox = 0; ox < c.outW; ox++) {
                    for (int oc = 0; oc < c.outC(); oc++) {
                        int i = ((b * c.outH + oy) * c.outW + ox) * c.outC() + oc;
                        int[] acc = {hasBias ? bias[oc] : 0};
                        c.taps(b, oy, ox, oc, (x, f) -> acc[0] += weights[f] * (input[x] - inZp));
                        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(
                                (double) inScale * fScales[perChannel ? oc : 0] / outScale);
                        if (tally.check(acc[0], m.multiplier(), m.shift(), outZp, range.min(), range.max(),
                                mote[i], tflite[i], () -> i + ", " + c)) {
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
            RandomCases r = new RandomCases(new SplittableRandom(seed * 3571L));
            Case c = Case.random(r);
            float[] weights = new float[c.fH * c.fW * c.outC()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) (r.nextDouble() * 2 - 1);
            }
            boolean hasBias = r.nextInt(6) != 0;
            float[] bias = new float[c.outC()];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) (r.nextDouble() * 2 - 1);
            }
            byte[] model = floatModel(c, weights, hasBias ? bias : null);
            float[] inputValues = new float[c.batch * c.inH * c.inW * c.inC];
            for (int i = 0; i < inputValues.length; i++) {
                inputValues[i] = (float) (r.nextDouble() * 2 - 1);
            }
            byte[] input = LittleEndian.floats(inputValues);
            float[] mote = LittleEndian.toFloats(ModelRuns.mote(model, input));
            byte[] tfliteModel = hasBias ? model : floatModel(c, weights, new float[c.outC()]);
            float[] tflite = LittleEndian.toFloats(ModelRuns.tflite(tfliteModel, input));
            assertEquals(tflite.length, mote.length, "output size, " + c);
            for (int b = 0; b < c.batch; b++) {
                for (int oy = 0; oy < c.outH; oy++) {
                    for (int ox = 0; ox < c.outW; ox++) {
                        for (int oc = 0; oc < c.outC(); oc++) {
                            int i = ((b * c.outH + oy) * c.outW + ox) * c.outC() + oc;
                            double[] magnitude = {1 + Math.abs(hasBias ? bias[oc] : 0)};
                            c.taps(b, oy, ox, oc, (x, f) -> magnitude[0] += Math.abs((double) inputValues[x] * weights[f]));
                            double diff = Math.abs(mote[i] - tflite[i]) / magnitude[0];
                            worst = Math.max(worst, diff);
                            assertTrue(diff <= FLOAT_TOLERANCE, () -> "Mote " + mote[i] + " vs TFLite " + tflite[i] + " at "
                                    + i + ", " + c);
                            elements++;
                        }
                    }
                }
            }
        }
        System.out.printf("DEPTHWISE_CONV_2D float32: %d cases, %d outputs, largest |mote - tflite| / (1 + sum|x*w| "
                + "+ |b|) = %.3g%n", FLOAT_CASES, elements, worst);
    }
}
