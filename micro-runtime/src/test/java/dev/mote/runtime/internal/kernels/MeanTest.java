package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.DesktopMean;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.ModelRuns;
import dev.mote.runtime.testing.RandomCases;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.mote.runtime.testing.ModelRuns.assertRefused;
import static dev.mote.runtime.testing.ModelRuns.mote;
import static dev.mote.runtime.testing.ModelRuns.tflite;
import static dev.mote.runtime.testing.SingleOpModel.elementCount;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MEAN in Mote against desktop TFLite 2.8 on seeded random shapes (rank 1 to 5), axes (one or two, negative,
 * duplicated), keep_dims, scales and zero points.
 *
 * <p>int8: Mote must equal an independent recomputation of TFLM's reference arithmetic (int32 sum, zero point
 * removed, {@code 1/n} folded into the multiplier of {@code input_scale / output_scale}, one rounding), and desktop
 * TFLite must equal a recomputation of the path desktop TFLite 2.8 takes, which is not TFLM's
 * ({@link DesktopMean.Path}: SPATIAL, TRUNCATING or FLOAT; both recomputations live in {@link DesktopMean}).
 * Both recomputations hold for every element of every case, so every difference between Mote and desktop TFLite is
 * one of these known rounding differences; each is at most 1 LSB and counted per path.
 */
class MeanTest {

    /** One random MEAN model and what the recomputations need. */
    private record Case(byte[] model, int[] inShape, int[] axes, boolean keepDims, float inScale, int inZp,
                        float outScale, int outZp, TensorType type) {
        boolean[] reduced() {
            return DesktopMean.reduced(inShape.length, axes);
        }

        int reducedCount() {
            return DesktopMean.reducedCount(inShape, reduced());
        }

        DesktopMean.Path tflitePath() {
            return DesktopMean.path(inShape.length, keepDims, axes, inScale, inZp, outScale, outZp);
        }
    }

    private static Case randomCase(RandomCases r, TensorType type) {
        int rank = 1 + r.nextInt(5);
        boolean spatial = r.nextInt(3) == 0;
        int[] inShape;
        int[] axes;
        boolean keepDims;
        if (spatial) {
            inShape = r.dims(4, 1, 7);
            axes = r.nextBoolean() ? new int[] {1, 2} : new int[] {2, 1};
            keepDims = r.nextInt(4) != 0;
        } else {
            inShape = r.dims(rank, 1, rank > 3 ? 4 : 7);
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
                new int[] {x, b.addInt32Vector("axis", axes)}, new int[] {y});
        b.addOutput(y);
        return new Case(b.toBytes(), inShape, axes, keepDims, inScale, inZp, outScale, outZp, type);
    }

    @Test
    void int8EveryDifferenceFromDesktopTfliteIsAKnownRoundingDifference() {
        RandomCases r = new RandomCases(0x5E5A_0008L);
        int cases = 450;
        int paths = DesktopMean.Path.values().length;
        int[] casesPerPath = new int[paths];
        int[] casesDiffering = new int[paths];
        int[] elementsPerPath = new int[paths];
        int[] elementsDiffering = new int[paths];
        for (int c = 0; c < cases; c++) {
            Case mc = randomCase(r, TensorType.INT8);
            byte[] data = r.data(TensorType.INT8, elementCount(mc.inShape()));
            byte[] fromMote = mote(mc.model(), data);
            byte[] fromTflite = tflite(mc.model(), data);
            long[] sums = DesktopMean.sums(data, mc.inShape(), mc.reduced());
            int n = mc.reducedCount();
            DesktopMean.Path path = mc.tflitePath();
            String what = "case " + c + ": " + Arrays.toString(mc.inShape()) + " axes "
                    + Arrays.toString(mc.axes()) + " keep_dims " + mc.keepDims() + " scales " + mc.inScale()
                    + "/" + mc.outScale() + " zero points " + mc.inZp() + "/" + mc.outZp() + " path " + path;
            assertEquals(sums.length, fromMote.length, what);
            assertEquals(sums.length, fromTflite.length, what);
            casesPerPath[path.ordinal()]++;
            boolean differs = false;
            for (int o = 0; o < sums.length; o++) {
                int expectedMote = DesktopMean.tflm(sums[o], n, mc.inScale(), mc.inZp(), mc.outScale(), mc.outZp());
                int expectedTflite = DesktopMean.desktop(path, sums[o], n, mc.inScale(), mc.inZp(), mc.outScale(),
                        mc.outZp());
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
        for (DesktopMean.Path p : DesktopMean.Path.values()) {
            int i = p.ordinal();
            System.out.printf("MEAN int8, TFLite path %s: %d of %d cases (%d of %d elements) differ from desktop "
                            + "TFLite, each by 1 LSB of TFLite's known %s rounding%n", p, casesDiffering[i],
                    casesPerPath[i], elementsDiffering[i], elementsPerPath[i], p);
            assertTrue(casesPerPath[i] >= 50, "too few cases on path " + p);
        }
    }

    @Test
    void float32MatchesTflmSummationAndDesktopTfliteClosely() {
        RandomCases r = new RandomCases(0x5E5A_0009L);
        int cases = 200;
        double worst = 0;
        int identical = 0;
        for (int c = 0; c < cases; c++) {
            Case mc = randomCase(r, TensorType.FLOAT32);
            byte[] data = r.data(TensorType.FLOAT32, elementCount(mc.inShape()));
            float[] fromMote = LittleEndian.toFloats(mote(mc.model(), data));
            float[] fromTflite = LittleEndian.toFloats(tflite(mc.model(), data));
            float[] expected = floatMean(mc, LittleEndian.toFloats(data));
            String what = "case " + c + ": " + Arrays.toString(mc.inShape()) + " axes "
                    + Arrays.toString(mc.axes());
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
    void requestsTflmsScratchBuffers() {
        // TFLM 90b983c2's PrepareMeanOrSumHelper: int8/int16 one int32 per output element, then for every type one
        // int per input dimension and one per axis element (each planned 16-aligned); measured equal to real TFLM
        // for random models in ArenaFiguresTflmTest
        int[] inShape = {1, 4, 4, 8};
        int[] outShape = {1, 1, 1, 8};
        assertEquals(128 + 16 + 32 + 16 + 16, plannedHeadBytes(TensorType.INT8, inShape, outShape),
                "input 128 + output 16 (aligned) + scratch 8 x int32 + 4 x int + 2 x int");
        assertEquals(512 + 32 + 16 + 16, plannedHeadBytes(TensorType.FLOAT32, inShape, outShape),
                "float32: no accumulator, the index and axis buffers");
    }

    private static int plannedHeadBytes(TensorType type, int[] inShape, int[] outShape) {
        Quantization q = type == TensorType.INT8 ? Quantization.perTensor(0.1f, 0) : Quantization.NONE;
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", type, inShape, q);
        int y = b.addTensor("y", type, outShape, q);
        b.addOperator(BuiltinOperator.MEAN, 1, new BuiltinOptions.Reducer(true),
                new int[] {x, b.addInt32Vector("axis", 1, 2)}, new int[] {y});
        b.addOutput(y);
        return ModelRuns.allocated(b.toBytes()).arenaReport().headBytes();
    }

    private static byte[] model(TensorType type, int[] inShape, int[] outShape, int[] axes, boolean keepDims,
                                boolean axisIsInput) {
        Quantization q = type == TensorType.INT8 || type == TensorType.INT16 ? Quantization.perTensor(0.1f, 0)
                : Quantization.NONE;
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", type, inShape, q);
        int axis = axisIsInput ? b.addInput("axis", TensorType.INT32, new int[] {axes.length}, Quantization.NONE)
                : b.addInt32Vector("axis", axes);
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
        // int16 is computed now (16x8); int32 is a type TFLM's MEAN refuses
        assertRefused(model(TensorType.INT32, new int[] {2, 3}, new int[] {2}, new int[] {1}, false, false),
                BuiltinOperator.MEAN, "input");
    }
}
