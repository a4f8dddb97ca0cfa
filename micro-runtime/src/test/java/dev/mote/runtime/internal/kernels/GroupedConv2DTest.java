package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.ModelRuns;
import dev.mote.runtime.testing.NegativeHalfTie;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Grouped CONV_2D (filter depth a proper divisor of the input depth), which TFLM's reference kernel runs but desktop
 * TFLite 2.8 refuses. Oracle: a grouped convolution is one ordinary convolution per group on that group's input
 * channels and filters, so each group runs as its own model in desktop TFLite and the outputs are interleaved back.
 * int8 must be identical except for proven negative-half ties (as in {@link Conv2DTfliteTest}); float32 identical
 * within the same tolerance.
 */
class GroupedConv2DTest {
    static final int CASES = 150;

    record Grouped(Conv2DTfliteTest.Case group, int groups) {
        int inC() {
            return group.inC() * groups;
        }

        int outC() {
            return group.outC() * groups;
        }
    }

    static Grouped random(RandomCases r) {
        Conv2DTfliteTest.Case c = Conv2DTfliteTest.Case.random(0, r);
        return new Grouped(c, 2 + r.nextInt(3));
    }

    /** Channels {@code [from, from + count)} of the last dimension of an NHWC buffer with {@code depth} channels. */
    static byte[] slice(byte[] data, int elementBytes, int depth, int from, int count) {
        int pixels = data.length / elementBytes / depth;
        byte[] out = new byte[pixels * count * elementBytes];
        for (int p = 0; p < pixels; p++) {
            System.arraycopy(data, (p * depth + from) * elementBytes, out, p * count * elementBytes,
                    count * elementBytes);
        }
        return out;
    }

    static byte[] groupedModel(Grouped g, TensorType type, Quantization inQ, byte[] weights, Quantization wQ,
                               byte[] bias, Quantization outQ) {
        Conv2DTfliteTest.Case c = g.group();
        return new SingleOpModel(BuiltinOperator.CONV_2D, 3, c.options())
                .input(type, new int[] {c.batch(), c.inH(), c.inW(), g.inC()}, inQ)
                .constant(type, new int[] {g.outC(), c.fH(), c.fW(), c.inC()}, weights, wQ)
                .constant(type == TensorType.INT8 ? TensorType.INT32 : type, new int[] {g.outC()}, bias,
                        Quantization.NONE)
                .output(type, new int[] {c.batch(), c.outH(), c.outW(), g.outC()}, outQ)
                .bytes();
    }

    @Test
    void int8EqualsOneTfliteConvolutionPerGroup() {
        int ties = 0;
        long elements = 0;
        for (int seed = 1; seed <= CASES; seed++) {
            RandomCases r = new RandomCases(new SplittableRandom(seed * 2909L));
            Grouped g = random(r);
            Conv2DTfliteTest.Case c = g.group();
            float inScale = r.scale(0.002, 0.1);
            int inZp = r.nextInt(256) - 128;
            float[] fScales = new float[g.outC()];
            for (int i = 0; i < fScales.length; i++) {
                fScales[i] = r.scale(0.0005, 0.05);
            }
            int depth = c.fH() * c.fW() * c.inC();
            double accSpread = Math.sqrt(depth * 5376.0 * (5461.0 + (inZp + 0.5) * (inZp + 0.5)));
            float outScale = (float) (inScale * fScales[0] * accSpread / 40.0 / r.scale(0.25, 2));
            int outZp = r.nextInt(256) - 128;
            byte[] weights = new byte[g.outC() * depth];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (byte) (r.nextInt(255) - 127);
            }
            int[] bias = new int[g.outC()];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (int) ((r.nextDouble() - 0.5) * accSpread);
            }
            byte[] input = new byte[c.batch() * c.inH() * c.inW() * g.inC()];
            for (int i = 0; i < input.length; i++) {
                input[i] = (byte) r.nextInt(256);
            }
            byte[] biasBytes = LittleEndian.ints(bias);
            byte[] mote = ModelRuns.mote(groupedModel(g, TensorType.INT8, Quantization.perTensor(inScale, inZp), weights,
                    Quantization.perChannel(fScales, new long[g.outC()], 0), biasBytes,
                    Quantization.perTensor(outScale, outZp)), input);
            QuantizedMath.IntRange range = QuantizedMath.activationRange(c.activation(), outScale, outZp, -128, 127);
            int perGroup = c.outC();
            for (int k = 0; k < g.groups(); k++) {
                byte[] groupInput = slice(input, 1, g.inC(), k * c.inC(), c.inC());
                byte[] groupWeights = java.util.Arrays.copyOfRange(weights, k * perGroup * depth,
                        (k + 1) * perGroup * depth);
                float[] groupScales = java.util.Arrays.copyOfRange(fScales, k * perGroup, (k + 1) * perGroup);
                int[] groupBias = java.util.Arrays.copyOfRange(bias, k * perGroup, (k + 1) * perGroup);
                byte[] tflite = ModelRuns.tflite(Conv2DTfliteTest.int8Model(c, inScale, inZp, groupScales, groupWeights,
                        groupBias, outScale, outZp), groupInput);
                byte[] moteGroup = slice(mote, 1, g.outC(), k * perGroup, perGroup);
                assertEquals(tflite.length, moteGroup.length, "group size, " + g);
                for (int i = 0; i < tflite.length; i++) {
                    elements++;
                    if (tflite[i] == moteGroup[i]) {
                        continue;
                    }
                    int oc = i % perGroup;
                    int pixel = i / perGroup;
                    int ox = pixel % c.outW();
                    int oy = pixel / c.outW() % c.outH();
                    int b = pixel / c.outW() / c.outH();
                    int acc = c.accumulator(groupInput, groupWeights, inZp, b, oy, ox, oc) + groupBias[oc];
                    QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(
                            (double) inScale * groupScales[oc] / outScale);
                    if (!NegativeHalfTie.explains(acc, m.multiplier(), m.shift(), outZp, range.min(), range.max(),
                            moteGroup[i], tflite[i])) {
                        fail("group " + k + " output " + i + ": Mote " + moteGroup[i] + " vs TFLite " + tflite[i]
                                + " is not a negative-half tie, " + g);
                    }
                    ties++;
                }
            }
        }
        System.out.printf("CONV_2D grouped int8: %d cases, %d outputs, %d differ from desktop TFLite (per-group "
                + "models), each an exact negative half in the final shift%n", CASES, elements, ties);
        assertTrue(elements > 10_000, "enough outputs compared: " + elements);
    }

    @Test
    void float32EqualsOneTfliteConvolutionPerGroup() {
        double worst = 0;
        for (int seed = 1; seed <= CASES / 2; seed++) {
            RandomCases r = new RandomCases(new SplittableRandom(seed * 4111L));
            Grouped g = random(r);
            Conv2DTfliteTest.Case c = g.group();
            int depth = c.fH() * c.fW() * c.inC();
            float[] weights = new float[g.outC() * depth];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) (r.nextDouble() * 2 - 1);
            }
            float[] bias = new float[g.outC()];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) (r.nextDouble() * 2 - 1);
            }
            float[] inputValues = new float[c.batch() * c.inH() * c.inW() * g.inC()];
            for (int i = 0; i < inputValues.length; i++) {
                inputValues[i] = (float) (r.nextDouble() * 2 - 1);
            }
            byte[] input = LittleEndian.floats(inputValues);
            byte[] mote = ModelRuns.mote(groupedModel(g, TensorType.FLOAT32, Quantization.NONE,
                    LittleEndian.floats(weights), Quantization.NONE, LittleEndian.floats(bias),
                    Quantization.NONE), input);
            int perGroup = c.outC();
            for (int k = 0; k < g.groups(); k++) {
                float[] groupWeights = java.util.Arrays.copyOfRange(weights, k * perGroup * depth,
                        (k + 1) * perGroup * depth);
                float[] groupBias = java.util.Arrays.copyOfRange(bias, k * perGroup, (k + 1) * perGroup);
                byte[] groupInput = slice(input, 4, g.inC(), k * c.inC(), c.inC());
                float[] tflite = LittleEndian.toFloats(ModelRuns.tflite(Conv2DTfliteTest.floatModel(c, groupWeights,
                        groupBias), groupInput));
                float[] moteGroup = LittleEndian.toFloats(slice(mote, 4, g.outC(), k * perGroup, perGroup));
                assertEquals(tflite.length, moteGroup.length, "group size, " + g);
                for (int i = 0; i < tflite.length; i++) {
                    // the same bound as Conv2DTfliteTest: 1e-5 of (1 + depth), depth being the taps per output
                    double diff = Math.abs(tflite[i] - moteGroup[i]) / (1 + depth + 1);
                    worst = Math.max(worst, diff);
                    assertTrue(diff <= Conv2DTfliteTest.FLOAT_TOLERANCE, "group " + k + " output " + i + ": Mote "
                            + moteGroup[i] + " vs TFLite " + tflite[i] + ", " + g);
                }
            }
        }
        System.out.printf("CONV_2D grouped float32: %d cases, largest |mote - tflite| / (2 + taps) = %.3g%n",
                CASES / 2, worst);
    }
}
