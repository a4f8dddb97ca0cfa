package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.RandomCases;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.mote.runtime.testing.ModelRuns.assertRefused;
import static dev.mote.runtime.testing.ModelRuns.mote;
import static dev.mote.runtime.testing.ModelRuns.tflite;
import static dev.mote.runtime.testing.SingleOpModel.elementCount;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** TRANSPOSE in Mote against desktop TFLite on seeded random shapes (rank 1 to 5) and permutations. */
class TransposeTest {
    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT8, TensorType.INT16};

    @Test
    void randomizedCasesMatchDesktopTfliteBitForBit() {
        RandomCases r = new RandomCases(0x5E5A_0004L);
        int cases = 400;
        for (int c = 0; c < cases; c++) {
            TensorType type = TYPES[r.nextInt(TYPES.length)];
            int rank = 1 + r.nextInt(5);
            int[] inShape = r.dims(rank, 1, 6);
            int[] perm = r.permutation(rank);
            int[] outShape = new int[rank];
            for (int d = 0; d < rank; d++) {
                outShape[d] = inShape[perm[d]];
            }
            Quantization q = r.quantization(type);
            ModelBuilder b = new ModelBuilder();
            int in = b.addInput("in", type, inShape, q);
            int out = b.addTensor("out", type, outShape, q);
            b.addOperator(BuiltinOperator.TRANSPOSE, type == TensorType.FLOAT32 ? 1 : 2,
                    new BuiltinOptions.Empty(BuiltinOptions.Types.TRANSPOSE), new int[] {in, b.addInt32Vector("perm", perm)},
                    new int[] {out});
            b.addOutput(out);
            byte[] model = b.toBytes();
            byte[] data = r.data(type, elementCount(inShape));
            String what = "case " + c + ": " + type + Arrays.toString(inShape) + " perm "
                    + Arrays.toString(perm);
            assertArrayEquals(tflite(model, data), mote(model, data), what);
        }
        System.out.printf("TRANSPOSE: %d randomized cases, 0 differ from desktop TFLite%n", cases);
    }

    private static byte[] model(int[] inShape, int[] outShape, int[] perm, boolean permIsInput) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", TensorType.INT8, inShape, Quantization.perTensor(0.5f, 3));
        int permTensor = permIsInput ? b.addInput("perm", TensorType.INT32, new int[] {perm.length}, Quantization.NONE)
                : b.addInt32Vector("perm", perm);
        int out = b.addTensor("out", TensorType.INT8, outShape, Quantization.perTensor(0.5f, 3));
        b.addOperator(BuiltinOperator.TRANSPOSE, 2, new BuiltinOptions.Empty(BuiltinOptions.Types.TRANSPOSE),
                new int[] {in, permTensor}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    @Test
    void refusesAPermThatIsNotAPermutation() {
        assertRefused(model(new int[] {2, 3}, new int[] {2, 2}, new int[] {0, 0}, false), BuiltinOperator.TRANSPOSE,
                "perm");
    }

    @Test
    void refusesAPermValueOutOfRange() {
        assertRefused(model(new int[] {2, 3}, new int[] {3, 2}, new int[] {2, 0}, false), BuiltinOperator.TRANSPOSE,
                "perm[0]");
    }

    @Test
    void refusesAPermOfTheWrongLength() {
        assertRefused(model(new int[] {2, 3}, new int[] {3, 2}, new int[] {1, 0, 2}, false),
                BuiltinOperator.TRANSPOSE, "perm");
    }

    @Test
    void refusesANonConstantPerm() {
        assertRefused(model(new int[] {2, 3}, new int[] {3, 2}, new int[] {1, 0}, true), BuiltinOperator.TRANSPOSE,
                "perm");
    }

    @Test
    void refusesAnOutputOfTheWrongShape() {
        assertRefused(model(new int[] {2, 3}, new int[] {2, 3}, new int[] {1, 0}, false), BuiltinOperator.TRANSPOSE,
                "output");
    }

    @Test
    void refusesRankSix() {
        assertRefused(model(new int[] {1, 1, 1, 1, 1, 2}, new int[] {2, 1, 1, 1, 1, 1}, new int[] {5, 0, 1, 2, 3, 4},
                false), BuiltinOperator.TRANSPOSE, "input");
    }
}
