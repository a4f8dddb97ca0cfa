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

/** EXPAND_DIMS in Mote against desktop TFLite on seeded random shapes and (negative) axes. */
class ExpandDimsTest {
    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT8, TensorType.INT16};

    @Test
    void randomizedCasesMatchDesktopTfliteBitForBit() {
        RandomCases r = new RandomCases(0x5E5A_0003L);
        int cases = 300;
        for (int c = 0; c < cases; c++) {
            TensorType type = TYPES[r.nextInt(TYPES.length)];
            int rank = r.nextInt(6);
            int[] inShape = r.dims(rank, 1, 5);
            int axis = r.nextInt(2 * rank + 2) - (rank + 1); // -(rank+1) .. rank
            int position = axis < 0 ? axis + rank + 1 : axis;
            int[] outShape = new int[rank + 1];
            for (int d = 0, i = 0; d <= rank; d++) {
                outShape[d] = d == position ? 1 : inShape[i++];
            }
            Quantization q = r.quantization(type);
            ModelBuilder b = new ModelBuilder();
            int in = b.addInput("in", type, inShape, q);
            int axisTensor = b.addInt32Constant("axis", r.nextBoolean() ? new int[0] : new int[] {1},
                    new int[] {axis}, Quantization.NONE);
            int out = b.addTensor("out", type, outShape, q);
            b.addOperator(BuiltinOperator.EXPAND_DIMS, 1, new BuiltinOptions.Empty(BuiltinOptions.Types.EXPAND_DIMS),
                    new int[] {in, axisTensor}, new int[] {out});
            b.addOutput(out);
            byte[] model = b.toBytes();
            byte[] data = r.data(type, elementCount(inShape));
            String what = "case " + c + ": " + type + Arrays.toString(inShape) + " axis " + axis;
            byte[] expected = tflite(model, data);
            assertArrayEquals(expected, mote(model, data), what);
            assertArrayEquals(data, expected, what);
        }
        System.out.printf("EXPAND_DIMS: %d randomized cases, 0 differ from desktop TFLite%n", cases);
    }

    private static byte[] model(int[] inShape, int[] outShape, int axis, boolean axisIsInput, TensorType type) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addInput("in", type, inShape, Quantization.NONE);
        int axisTensor = axisIsInput ? b.addInput("axis", TensorType.INT32, new int[] {1}, Quantization.NONE)
                : b.addInt32Constant("axis", new int[] {1}, new int[] {axis}, Quantization.NONE);
        int out = b.addTensor("out", type, outShape, Quantization.NONE);
        b.addOperator(BuiltinOperator.EXPAND_DIMS, 1, new BuiltinOptions.Empty(BuiltinOptions.Types.EXPAND_DIMS),
                new int[] {in, axisTensor}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    @Test
    void refusesAnAxisOutOfRange() {
        assertRefused(model(new int[] {2, 3}, new int[] {2, 3, 1}, 3, false, TensorType.FLOAT32),
                BuiltinOperator.EXPAND_DIMS, "axis");
        assertRefused(model(new int[] {2, 3}, new int[] {1, 2, 3}, -4, false, TensorType.FLOAT32),
                BuiltinOperator.EXPAND_DIMS, "axis");
    }

    @Test
    void refusesANonConstantAxis() {
        assertRefused(model(new int[] {2, 3}, new int[] {2, 3, 1}, 2, true, TensorType.FLOAT32),
                BuiltinOperator.EXPAND_DIMS, "axis");
    }

    @Test
    void refusesAnOutputOfTheWrongShape() {
        assertRefused(model(new int[] {2, 3}, new int[] {2, 1, 3}, 0, false, TensorType.FLOAT32),
                BuiltinOperator.EXPAND_DIMS, "output");
    }

    @Test
    void refusesTypesTflmDoesNotExpand() {
        assertRefused(model(new int[] {2, 3}, new int[] {1, 2, 3}, 0, false, TensorType.INT32),
                BuiltinOperator.EXPAND_DIMS, "input");
    }
}
