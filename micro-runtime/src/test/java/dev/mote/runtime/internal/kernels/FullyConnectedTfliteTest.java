package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.ModelRuns;
import dev.mote.runtime.testing.NegativeHalfTie;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * int8 FULLY_CONNECTED on seeded random single-op models in Mote and in desktop TFLite: every Mote output equals a
 * straight-line recomputation with TFLM's arithmetic, and equals TFLite's except where the final shift drops an
 * exact negative half (proven per element). A constant filter with zero point 0 takes Mote's fast path, a filter
 * fed as an input (or with another zero point, which desktop TFLite does not take) the plain loop; both must agree
 * with TFLM's arithmetic.
 */
class FullyConnectedTfliteTest {
    static final int CASES = 600;

    /** One random layer: shapes, quantization and data. */
    record Case(int batches, int depth, int outputs, Activation activation, float inScale, int inZp, float fScale,
                int fZp, float outScale, int outZp, byte[] weights, int[] bias, byte[] input) {

        static Case random(RandomCases r, boolean filterZeroPoint) {
            int batches = 1 + r.nextInt(3);
            int depth = r.nextInt(8) == 0 ? 200 + r.nextInt(300) : 1 + r.nextInt(96);
            int outputs = 1 + r.nextInt(40);
            Activation act = Activation.values()[r.nextInt(4)];
            float inScale = r.scale(0.002, 0.1);
            int inZp = r.nextInt(256) - 128;
            float fScale = r.scale(0.0005, 0.05);
            int fZp = filterZeroPoint ? r.nextInt(21) - 10 : 0;
            // accumulator spread for uniform int8 data: outputs then cover the int8 range; 1 case in 20 has an
            // effective multiplier above 1 (a left shift)
            double spread = Math.sqrt(depth * 5461.0 * (5461.0 + (inZp + 0.5) * (inZp + 0.5)));
            double effective = r.nextInt(20) == 0 ? 1.0 + 3 * r.nextDouble() : 40.0 / spread * r.scale(0.25, 2);
            float outScale = (float) (inScale * fScale / effective);
            int outZp = r.nextInt(256) - 128;
            byte[] weights = new byte[outputs * depth];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (byte) (r.nextInt(255) - 127);
            }
            int[] bias = null;
            if (r.nextInt(6) != 0) {
                bias = new int[outputs];
                for (int i = 0; i < outputs; i++) {
                    bias[i] = (int) ((r.nextDouble() - 0.5) * spread);
                }
            }
            byte[] input = new byte[batches * depth];
            for (int i = 0; i < input.length; i++) {
                input[i] = (byte) r.nextInt(256);
            }
            return new Case(batches, depth, outputs, act, inScale, inZp, fScale, fZp, outScale, outZp, weights, bias,
                    input);
        }

        /** The model; {@code filterAsInput} feeds the filter at run time instead of storing it as a constant. */
        byte[] model(boolean filterAsInput) {
            Quantization filterQuantization = Quantization.perTensor(fScale, fZp);
            SingleOpModel m = new SingleOpModel(BuiltinOperator.FULLY_CONNECTED, 4,
                    BuiltinOptions.FullyConnected.of(activation))
                    .input(TensorType.INT8, new int[] {batches, depth}, Quantization.perTensor(inScale, inZp));
            if (filterAsInput) {
                m.input(TensorType.INT8, new int[] {outputs, depth}, filterQuantization);
            } else {
                m.constant(TensorType.INT8, new int[] {outputs, depth}, weights, filterQuantization);
            }
            if (bias != null) {
                m.int32Constant(new int[] {outputs}, bias, Quantization.perTensor(inScale * fScale, 0));
            }
            return m.output(TensorType.INT8, new int[] {batches, outputs}, Quantization.perTensor(outScale, outZp))
                    .bytes();
        }

        /** TFLM's accumulator for one output, bias included, written out independently of Mote. */
        int accumulator(int b, int o) {
            int acc = bias == null ? 0 : bias[o];
            for (int d = 0; d < depth; d++) {
                acc += (weights[o * depth + d] - fZp) * (input[b * depth + d] - inZp);
            }
            return acc;
        }

        QuantizedMath.Multiplier multiplier() {
            return QuantizedMath.quantizeMultiplier((double) inScale * fScale / outScale);
        }
    }

    @Test
    void int8MatchesTfliteExceptProvenNegativeHalfTies() {
        NegativeHalfTie.Tally tally = new NegativeHalfTie.Tally();
        for (int seed = 1; seed <= CASES; seed++) {
            Case c = Case.random(new RandomCases(new SplittableRandom(seed * 6700417L)), false);
            byte[] mote = ModelRuns.mote(c.model(false), c.input);
            byte[] tflite = ModelRuns.tflite(c.model(false), c.input);
            assertEquals(tflite.length, mote.length, "output size, " + c);
            QuantizedMath.Multiplier m = c.multiplier();
            QuantizedMath.IntRange range = QuantizedMath.activationRange(c.activation, c.outScale, c.outZp, -128, 127);
            int caseSeed = seed;
            for (int b = 0; b < c.batches; b++) {
                for (int o = 0; o < c.outputs; o++) {
                    int i = b * c.outputs + o;
                    tally.check(c.accumulator(b, o), m.multiplier(), m.shift(), c.outZp, range.min(), range.max(),
                            mote[i], tflite[i], () -> "output " + i + ", seed " + caseSeed);
                }
            }
        }
        System.out.printf("FULLY_CONNECTED int8: %d cases, %d outputs (%d inside the clamping range), %d differ from "
                + "desktop TFLite, each a negative half%n", CASES, tally.outputs(), tally.unclamped(), tally.ties());
        assertTrue(tally.outputs() > 10_000, "enough outputs compared: " + tally.outputs());
        tally.assertExercisesRounding();
    }

    /** The fast path (constant filter) and the plain loop (filter fed at run time) agree with TFLM's arithmetic. */
    @Test
    void constantFilterPathEqualsPlainLoopAndTflmArithmetic() {
        for (int seed = 1; seed <= CASES / 3; seed++) {
            // odd seeds: filter zero points other than 0 (plain loop for both models); even seeds: 0 (fast path)
            Case c = Case.random(new RandomCases(new SplittableRandom(seed * 2147483647L)), seed % 2 == 1);
            byte[] fast = ModelRuns.mote(c.model(false), c.input);
            byte[] plain = ModelRuns.mote(c.model(true), c.input, c.weights);
            assertArrayEquals(plain, fast, "seed " + seed);
            QuantizedMath.Multiplier m = c.multiplier();
            QuantizedMath.IntRange range = QuantizedMath.activationRange(c.activation, c.outScale, c.outZp, -128, 127);
            for (int b = 0; b < c.batches; b++) {
                for (int o = 0; o < c.outputs; o++) {
                    int expected = NegativeHalfTie.requantizeTflm(c.accumulator(b, o), m.multiplier(), m.shift(),
                            c.outZp, range.min(), range.max());
                    assertEquals(expected, fast[b * c.outputs + o], "output " + (b * c.outputs + o) + ", seed " + seed);
                }
            }
        }
    }

    /** The fast path's repacked filter is reported as kernel heap; the plain loop allocates none. */
    @Test
    void kernelHeapCountsTheFastPathOnly() {
        Case c = Case.random(new RandomCases(new SplittableRandom(99)), false);
        long fast = ModelRuns.allocated(c.model(false)).kernelHeapBytes();
        long plain = ModelRuns.allocated(c.model(true)).kernelHeapBytes();
        assertTrue(fast >= 4L * c.weights.length, "fast path heap " + fast + " for " + c.weights.length + " weights");
        assertEquals(0, plain);
    }
}
