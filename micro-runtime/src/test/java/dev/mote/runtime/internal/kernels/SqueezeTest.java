package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.RandomCases;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.mote.runtime.testing.ModelRuns.assertRefused;
import static dev.mote.runtime.testing.ModelRuns.mote;
import static dev.mote.runtime.testing.ModelRuns.tflite;
import static dev.mote.runtime.testing.SingleOpModel.elementCount;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** SQUEEZE in Mote against desktop TFLite on seeded random shapes and squeeze_dims. */
class SqueezeTest {
    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32};

    @Test
    void randomizedCasesMatchDesktopTfliteBitForBit() {
        RandomCases r = new RandomCases(0x5E5A_0002L);
        int cases = 300;
        for (int c = 0; c < cases; c++) {
            TensorType type = TYPES[r.nextInt(TYPES.length)];
            int rank = 1 + r.nextInt(8);
            int[] inShape = new int[rank];
            for (int d = 0; d < rank; d++) {
                inShape[d] = r.nextInt(3) == 0 ? 1 + r.nextInt(4) : 1;
            }
            List<Integer> dims = new ArrayList<>();
            if (r.nextInt(4) != 0) {
                for (int d = 0; d < rank; d++) {
                    if (inShape[d] == 1 && r.nextBoolean()) {
                        dims.add(r.nextBoolean() ? d : d - rank);
                    }
                }
            }
            boolean[] squeeze = new boolean[rank];
            for (int d = 0; d < rank; d++) {
                squeeze[d] = dims.isEmpty() ? inShape[d] == 1 : dims.contains(d) || dims.contains(d - rank);
            }
            int[] outShape = java.util.stream.IntStream.range(0, rank).filter(d -> !squeeze[d])
                    .map(d -> inShape[d]).toArray();
            Quantization q = r.quantization(type);
            ModelBuilder b = new ModelBuilder();
            int in = b.addInput("in", type, inShape, q);
            int out = b.addTensor("out", type, outShape, q);
            b.addOperator(BuiltinOperator.SQUEEZE, 1,
                    new BuiltinOptions.Squeeze(dims.stream().mapToInt(Integer::intValue).toArray()),
                    new int[] {in}, new int[] {out});
            b.addOutput(out);
            byte[] model = b.toBytes();
            byte[] data = r.data(type, elementCount(inShape));
            String what = "case " + c + ": " + type + Arrays.toString(inShape) + " squeeze_dims " + dims;
            byte[] expected = tflite(model, data);
            assertArrayEquals(expected, mote(model, data), what);
            assertArrayEquals(data, expected, what);
        }
        System.out.printf("SQUEEZE: %d randomized cases, 0 differ from desktop TFLite%n", cases);
    }

    private static byte[] model(int[] inShape, int[] outShape, int... squeezeDims) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.FLOAT32, inShape, Quantization.NONE);
        int out = b.addTensor("out", TensorType.FLOAT32, outShape, Quantization.NONE);
        b.addOperator(BuiltinOperator.SQUEEZE, 1, new BuiltinOptions.Squeeze(squeezeDims), new int[] {in},
                new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    @Test
    void refusesSqueezingADimensionThatIsNotOne() {
        assertRefused(model(new int[] {1, 3}, new int[] {1}, 1), BuiltinOperator.SQUEEZE, "squeeze_dims[0]");
    }

    @Test
    void refusesAnAxisOutOfRange() {
        assertRefused(model(new int[] {1, 3}, new int[] {3}, -3), BuiltinOperator.SQUEEZE, "squeeze_dims[0]");
    }

    @Test
    void refusesAnOutputOfTheWrongShape() {
        // TFLM checks only that each kept dimension fits the output's at its index and that the byte sizes match
        // (RefusalsTflmTest): [3, 1] runs (with a warning), [1, 3] and [4] are refused.
        dev.mote.runtime.testing.ModelRuns.assertRunsWithWarning(model(new int[] {1, 3, 1}, new int[] {3, 1}), "output");
        assertRefused(model(new int[] {1, 3, 1}, new int[] {1, 3}), BuiltinOperator.SQUEEZE, "output");
        assertRefused(model(new int[] {1, 3, 1}, new int[] {4}), BuiltinOperator.SQUEEZE, "output");
    }
}
