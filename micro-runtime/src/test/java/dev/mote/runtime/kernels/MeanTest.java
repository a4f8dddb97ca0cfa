package dev.mote.runtime.kernels;

import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.QuantizedMath;
import dev.mote.runtime.format.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.format.TensorType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static dev.mote.runtime.kernels.KernelHarness.assertRefused;
import static dev.mote.runtime.kernels.KernelHarness.count;
import static dev.mote.runtime.kernels.KernelHarness.floats;
import static dev.mote.runtime.kernels.KernelHarness.int32Vector;
import static dev.mote.runtime.kernels.KernelHarness.mote;
import static dev.mote.runtime.kernels.KernelHarness.randomData;
import static dev.mote.runtime.kernels.KernelHarness.randomShape;
import static dev.mote.runtime.kernels.KernelHarness.tflite;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MEAN in Mote against desktop TFLite 2.8 on seeded random shapes (rank 1 to 5), axes (one or two, negative,
 * duplicated), keep_dims, scales and zero points.
 *
 * <p>int8: Mote must equal an independent recomputation of TFLM's reference arithmetic (int32 sum, zero point
 * removed, {@code 1/n} folded into the multiplier of {@code input_scale / output_scale}, one rounding), and desktop
 * TFLite must equal a recomputation of the path desktop TFLite 2.8 takes, which is not TFLM's:
 * <ul>
 *   <li>{@link TflitePath#SPATIAL} (4D, keep_dims, axis tensor exactly {1, 2} or {2, 1}): TFLite's
 *   {@code reference_integer_ops::Mean} — the rescaled sum, then a second rounding when dividing by {@code n};</li>
 *   <li>{@link TflitePath#TRUNCATING} (other axes, same scale and zero point in and out): {@code sum / n} of the raw
 *   values, truncated toward zero;</li>
 *   <li>{@link TflitePath#FLOAT} (other axes, other scale or zero point): float arithmetic,
 *   {@code round(sum / n * s - zp * s) + zp'}.</li>
 * </ul>
 * Both recomputations hold for every element of every case, so every difference between Mote and desktop TFLite is
 * one of these known rounding differences; each is at most 1 LSB and counted per path.
 */
class MeanTest {

    enum TflitePath { SPATIAL, TRUNCATING, FLOAT }

    /** One random MEAN model and what the recomputations need. */
    private record Case(byte[] model, int[] inShape, int[] axes, boolean keepDims, float inScale, int inZp,
                        float outScale, int outZp, TensorType type) {
        boolean[] reduced() {
            boolean[] red = new boolean[inShape.length];
            for (int a : axes) {
                red[a < 0 ? a + inShape.length : a] = true;
            }
            return red;
        }

        int reducedCount() {
            boolean[] red = reduced();
            int n = 1;
            for (int d = 0; d < inShape.length; d++) {
                n *= red[d] ? inShape[d] : 1;
            }
            return n;
        }

        TflitePath tflitePath() {
            boolean spatial = keepDims && inShape.length == 4 && axes.length == 2
                    && ((axes[0] == 1 && axes[1] == 2) || (axes[0] == 2 && axes[1] == 1));
            if (spatial) {
                return TflitePath.SPATIAL;
            }
            return inScale == outScale && inZp == outZp ? TflitePath.TRUNCATING : TflitePath.FLOAT;
        }
    }

    private static Case randomCase(Random r, TensorType type) {
        int rank = 1 + r.nextInt(5);
        boolean spatial = r.nextInt(3) == 0;
        int[] inShape;
        int[] axes;
        boolean keepDims;
        if (spatial) {
            inShape = randomShape(r, 4, 1, 7);
            axes = r.nextBoolean() ? new int[] {1, 2} : new int[] {2, 1};
            keepDims = r.nextInt(4) != 0;
        } else {
            inShape = randomShape(r, rank, 1, rank > 3 ? 4 : 7);
            int a = r.nextInt(rank);
            axes = rank > 1 && r.nextBoolean() ? new int[] {a, (a + 1 + r.nextInt(rank - 1)) % rank} : new int[] {a};
            if (r.nextInt(4) == 0) {
                axes[0] -= rank; // negative form
            }
            if (r.nextInt(8) == 0) {
                axes = Arrays.copyOf(axes, axes.length + 1);
                axes[axes.length - 1] = axes[0]; // a duplicate counts once
            }
            keepDims = r.nextBoolean();
        }
        float inScale = (float) (0.005 + r.nextDouble() * 0.5);
        int inZp = r.nextInt(256) - 128;
        boolean sameQuantization = r.nextBoolean();
        float outScale = sameQuantization ? inScale : (float) (inScale * (0.3 + r.nextDouble() * 2));
        int outZp = sameQuantization ? inZp : r.nextInt(256) - 128;
        Case shapeOnly = new Case(null, inShape, axes, keepDims, inScale, inZp, outScale, outZp, type);
        boolean[] red = shapeOnly.reduced();
        int[] outShape = java.util.stream.IntStream.range(0, inShape.length)
                .filter(d -> keepDims || !red[d]).map(d -> red[d] ? 1 : inShape[d]).toArray();
        Quantization qIn = type == TensorType.INT8 ? Quantization.perTensor(inScale, inZp) : Quantization.NONE;
        Quantization qOut = type == TensorType.INT8 ? Quantization.perTensor(outScale, outZp) : Quantization.NONE;
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", type, inShape, qIn);
        int y = b.addTensor("y", type, outShape, qOut);
        b.addOperator(BuiltinOperator.MEAN, type == TensorType.INT8 ? 2 : 1, new BuiltinOptions.Reducer(keepDims),
                new int[] {x, int32Vector(b, "axis", axes)}, new int[] {y});
        b.addOutput(y);
        return new Case(b.toBytes(), inShape, axes, keepDims, inScale, inZp, outScale, outZp, type);
    }

    /** Per output element (row-major over the kept dimensions): the sum of the raw input values. */
    private static long[] sums(Case c, byte[] data) {
        boolean[] red = c.reduced();
        int[] in = c.inShape();
        int outCount = 1;
        for (int d = 0; d < in.length; d++) {
            outCount *= red[d] ? 1 : in[d];
        }
        long[] sums = new long[outCount];
        int[] index = new int[in.length];
        int i = 0;
        do {
            int o = 0;
            for (int d = 0; d < in.length; d++) {
                if (!red[d]) {
                    o = o * in[d] + index[d];
                }
            }
            sums[o] += data[i++];
        } while (Shapes.nextIndex(index, in));
        return sums;
    }

    /** TFLM's reference {@code QuantizedMeanOrSum} (mean), recomputed from the sum. */
    static int tflm(long sum, int n, float inScale, int inZp, float outScale, int outZp) {
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier((double) inScale / (double) outScale);
        int shift = Math.min(Math.min(63 - Long.numberOfLeadingZeros(n), 32), 31 + m.shift());
        int multiplier = (int) (((long) m.multiplier() << shift) / n);
        int q = QuantizedMath.multiplyByQuantizedMultiplier((int) (sum - (long) inZp * n), multiplier,
                m.shift() - shift) + outZp;
        return Math.max(-128, Math.min(127, q));
    }

    /** Desktop TFLite 2.8's int8 MEAN on the given path, recomputed from the sum. */
    static int tflite28(TflitePath path, long sum, int n, float inScale, int inZp, float outScale, int outZp) {
        switch (path) {
            case SPATIAL -> {
                QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier((double) inScale / (double) outScale);
                int acc = QuantizedMath.multiplyByQuantizedMultiplier((int) (sum - (long) inZp * n), m);
                acc = acc > 0 ? (acc + n / 2) / n : (acc - n / 2) / n;
                return Math.max(-128, Math.min(127, acc + outZp));
            }
            case TRUNCATING -> {
                return (int) (sum / n);
            }
            default -> {
                float scale = inScale / outScale;
                float bias = -inZp * scale;
                float mean = (float) sum / (float) n;
                float result = QuantizedMath.roundHalfAwayFromZero(mean * scale + bias) + outZp;
                return (int) Math.max(-128f, Math.min(127f, result));
            }
        }
    }

    @Test
    void int8EveryDifferenceFromDesktopTfliteIsAKnownRoundingDifference() {
        Random r = new Random(0x5E5A_0008L);
        int cases = 450;
        int[] casesPerPath = new int[TflitePath.values().length];
        int[] casesDiffering = new int[TflitePath.values().length];
        int[] elementsPerPath = new int[TflitePath.values().length];
        int[] elementsDiffering = new int[TflitePath.values().length];
        for (int c = 0; c < cases; c++) {
            Case mc = randomCase(r, TensorType.INT8);
            byte[] data = randomData(r, TensorType.INT8, count(mc.inShape()));
            byte[] fromMote = mote(mc.model(), data);
            byte[] fromTflite = tflite(mc.model(), data);
            long[] sums = sums(mc, data);
            int n = mc.reducedCount();
            TflitePath path = mc.tflitePath();
            String what = "case " + c + ": " + KernelHarness.describe(mc.inShape()) + " axes "
                    + KernelHarness.describe(mc.axes()) + " keep_dims " + mc.keepDims() + " scales " + mc.inScale()
                    + "/" + mc.outScale() + " zero points " + mc.inZp() + "/" + mc.outZp() + " path " + path;
            assertEquals(sums.length, fromMote.length, what);
            assertEquals(sums.length, fromTflite.length, what);
            casesPerPath[path.ordinal()]++;
            boolean differs = false;
            for (int o = 0; o < sums.length; o++) {
                int expectedMote = tflm(sums[o], n, mc.inScale(), mc.inZp(), mc.outScale(), mc.outZp());
                int expectedTflite = tflite28(path, sums[o], n, mc.inScale(), mc.inZp(), mc.outScale(), mc.outZp());
                assertEquals(expectedMote, fromMote[o], what + ": Mote differs from TFLM's arithmetic at " + o);
                assertEquals(expectedTflite, fromTflite[o], what + ": desktop TFLite is not explained by its "
                        + path + " arithmetic at " + o);
                elementsPerPath[path.ordinal()]++;
                if (fromMote[o] != fromTflite[o]) {
                    assertTrue(Math.abs(fromMote[o] - fromTflite[o]) <= 1, what + ": more than 1 LSB at " + o);
                    elementsDiffering[path.ordinal()]++;
                    differs = true;
                }
            }
            if (differs) {
                casesDiffering[path.ordinal()]++;
            }
        }
        for (TflitePath p : TflitePath.values()) {
            int i = p.ordinal();
            System.out.printf("MEAN int8, TFLite path %s: %d of %d cases (%d of %d elements) differ from desktop "
                            + "TFLite, each by 1 LSB of TFLite's known %s rounding%n", p, casesDiffering[i],
                    casesPerPath[i], elementsDiffering[i], elementsPerPath[i], p);
            assertTrue(casesPerPath[i] >= 50, "too few cases on path " + p);
        }
    }

    @Test
    void float32MatchesTflmSummationAndDesktopTfliteClosely() {
        Random r = new Random(0x5E5A_0009L);
        int cases = 200;
        double worst = 0;
        int identical = 0;
        for (int c = 0; c < cases; c++) {
            Case mc = randomCase(r, TensorType.FLOAT32);
            byte[] data = randomData(r, TensorType.FLOAT32, count(mc.inShape()));
            float[] fromMote = floats(mote(mc.model(), data));
            float[] fromTflite = floats(tflite(mc.model(), data));
            float[] expected = floatMean(mc, floats(data));
            String what = "case " + c + ": " + KernelHarness.describe(mc.inShape()) + " axes "
                    + KernelHarness.describe(mc.axes());
            assertArrayEquals(expected, fromMote, what + ": Mote differs from TFLM's float summation");
            assertEquals(fromTflite.length, fromMote.length, what);
            boolean same = true;
            for (int o = 0; o < fromMote.length; o++) {
                double diff = Math.abs(fromMote[o] - fromTflite[o]);
                worst = Math.max(worst, diff);
                same &= diff == 0;
                assertTrue(diff <= 1e-5 * (1 + Math.abs(fromTflite[o])), what + ": " + fromMote[o] + " vs "
                        + fromTflite[o]);
            }
            identical += same ? 1 : 0;
        }
        System.out.printf("MEAN float32: %d of %d cases bit-identical to desktop TFLite, largest difference %.3g%n",
                identical, cases, worst);
    }

    /** TFLM's float mean: sum in input order in float, then divide by the float count. */
    private static float[] floatMean(Case c, float[] data) {
        boolean[] red = c.reduced();
        int[] in = c.inShape();
        int outCount = 1;
        for (int d = 0; d < in.length; d++) {
            outCount *= red[d] ? 1 : in[d];
        }
        float[] sums = new float[outCount];
        int[] index = new int[in.length];
        int i = 0;
        do {
            int o = 0;
            for (int d = 0; d < in.length; d++) {
                if (!red[d]) {
                    o = o * in[d] + index[d];
                }
            }
            sums[o] += data[i++];
        } while (Shapes.nextIndex(index, in));
        float n = c.reducedCount();
        for (int o = 0; o < outCount; o++) {
            sums[o] /= n;
        }
        return sums;
    }

    @Test
    void int8RequestsOneInt32ScratchPerOutputLikeTflm() {
        int[] inShape = {1, 4, 4, 8};
        int[] outShape = {1, 1, 1, 8};
        assertEquals(128 + 16 + 32, plannedHeadBytes(TensorType.INT8, inShape, outShape),
                "input 128 + output 16 (aligned) + scratch 8 x int32");
        assertEquals(512 + 32, plannedHeadBytes(TensorType.FLOAT32, inShape, outShape), "float32 asks no scratch");
    }

    private static int plannedHeadBytes(TensorType type, int[] inShape, int[] outShape) {
        Quantization q = type == TensorType.INT8 ? Quantization.perTensor(0.1f, 0) : Quantization.NONE;
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", type, inShape, q);
        int y = b.addTensor("y", type, outShape, q);
        b.addOperator(BuiltinOperator.MEAN, 1, new BuiltinOptions.Reducer(true),
                new int[] {x, int32Vector(b, "axis", 1, 2)}, new int[] {y});
        b.addOutput(y);
        MicroInterpreter interpreter = new MicroInterpreter(b.toBytes(), OpResolver.allBuiltins(),
                KernelHarness.ARENA_BYTES);
        interpreter.allocateTensors();
        return interpreter.arenaReport().headBytes();
    }

    private static byte[] model(TensorType type, int[] inShape, int[] outShape, int[] axes, boolean keepDims,
                                boolean axisIsInput) {
        Quantization q = type == TensorType.INT8 || type == TensorType.INT16 ? Quantization.perTensor(0.1f, 0)
                : Quantization.NONE;
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", type, inShape, q);
        int axis = axisIsInput ? b.addInput("axis", TensorType.INT32, new int[] {axes.length}, Quantization.NONE)
                : int32Vector(b, "axis", axes);
        int y = b.addTensor("y", type, outShape, q);
        b.addOperator(BuiltinOperator.MEAN, 2, new BuiltinOptions.Reducer(keepDims), new int[] {x, axis},
                new int[] {y});
        b.addOutput(y);
        return b.toBytes();
    }

    @Test
    void refusesMoreThanTwoDistinctAxes() {
        assertRefused(model(TensorType.INT8, new int[] {2, 3, 4}, new int[0], new int[] {0, 1, 2}, false, false),
                BuiltinOperator.MEAN, "axis");
    }

    @Test
    void refusesAnAxisOutOfRange() {
        assertRefused(model(TensorType.INT8, new int[] {2, 3}, new int[] {2}, new int[] {2}, false, false),
                BuiltinOperator.MEAN, "axis[0]");
        assertRefused(model(TensorType.INT8, new int[] {2, 3}, new int[] {2}, new int[] {-3}, false, false),
                BuiltinOperator.MEAN, "axis[0]");
    }

    @Test
    void refusesANonConstantAxis() {
        assertRefused(model(TensorType.INT8, new int[] {2, 3}, new int[] {2}, new int[] {1}, false, true),
                BuiltinOperator.MEAN, "axis");
    }

    @Test
    void refusesAnOutputOfTheWrongShape() {
        assertRefused(model(TensorType.INT8, new int[] {2, 3}, new int[] {2}, new int[] {1}, true, false),
                BuiltinOperator.MEAN, "output");
        assertRefused(model(TensorType.FLOAT32, new int[] {2, 3}, new int[] {3}, new int[] {1}, false, false),
                BuiltinOperator.MEAN, "output");
    }

    @Test
    void refusesRankSixAndUnsupportedTypes() {
        assertRefused(model(TensorType.FLOAT32, new int[] {1, 1, 1, 1, 1, 2}, new int[] {1, 1, 1, 1, 1},
                new int[] {5}, false, false), BuiltinOperator.MEAN, "input");
        assertRefused(model(TensorType.INT16, new int[] {2, 3}, new int[] {2}, new int[] {1}, false, false),
                BuiltinOperator.MEAN, "input");
    }
}
