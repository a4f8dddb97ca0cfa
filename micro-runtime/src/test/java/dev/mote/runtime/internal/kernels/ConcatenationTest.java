package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.testing.ModelRuns;

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

/**
 * CONCATENATION in Mote against desktop TFLite on seeded random shapes (rank 1 to 6), input counts (1 to 10, some
 * of them constants) and (negative) axes.
 */
class ConcatenationTest {
    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32};

    @Test
    void randomizedCasesMatchDesktopTfliteBitForBit() {
        RandomCases r = new RandomCases(0x5E5A_0006L);
        int cases = 400;
        for (int c = 0; c < cases; c++) {
            TensorType type = TYPES[r.nextInt(TYPES.length)];
            int rank = 1 + r.nextInt(6);
            int[] base = r.dims(rank, 1, rank > 4 ? 3 : 5);
            int axis = r.nextInt(rank);
            int axisOption = r.nextBoolean() ? axis : axis - rank;
            int n = 1 + (r.nextInt(4) == 0 ? r.nextInt(10) : r.nextInt(3));
            Quantization q = r.quantization(type);
            ModelBuilder b = new ModelBuilder();
            int[] inputs = new int[n];
            List<byte[]> feeds = new ArrayList<>();
            int total = 0;
            for (int i = 0; i < n; i++) {
                int[] shape = base.clone();
                shape[axis] = r.nextInt(4);
                if (shape[axis] == 0 && n == 1) {
                    shape[axis] = 1;
                }
                total += shape[axis];
                byte[] data = r.data(type, elementCount(shape));
                if (elementCount(shape) > 0 && r.nextInt(5) == 0) {
                    inputs[i] = b.addConstant("c" + i, type, shape, data, q);
                } else {
                    inputs[i] = b.addInput("in" + i, type, shape, q);
                    feeds.add(data);
                }
            }
            int[] outShape = base.clone();
            outShape[axis] = total;
            int out = b.addTensor("out", type, outShape, q);
            b.addOperator(BuiltinOperator.CONCATENATION, type == TensorType.FLOAT32 ? 1 : 2,
                    new BuiltinOptions.Concatenation(axisOption, 0), inputs, new int[] {out});
            b.addOutput(out);
            byte[] model = b.toBytes();
            byte[][] in = feeds.toArray(new byte[0][]);
            String what = "case " + c + ": " + type + " " + n + " inputs around " + Arrays.toString(base)
                    + " axis " + axisOption;
            ModelRuns.assertMatchesTfliteOrRefusedLikeTflm(model, what, in);
        }
        System.out.printf("CONCATENATION: %d randomized cases, 0 differ from desktop TFLite%n", cases);
    }

    private static byte[] model(int[] a, int[] bShape, int[] outShape, int axis, int activation, Quantization qa,
                                Quantization qb, Quantization qo) {
        ModelBuilder b = new ModelBuilder();
        int in0 = b.addInput("a", TensorType.INT8, a, qa);
        int in1 = b.addInput("b", TensorType.INT8, bShape, qb);
        int out = b.addTensor("out", TensorType.INT8, outShape, qo);
        b.addOperator(BuiltinOperator.CONCATENATION, 2, new BuiltinOptions.Concatenation(axis, activation),
                new int[] {in0, in1}, new int[] {out});
        b.addOutput(out);
        return b.toBytes();
    }

    private static final Quantization Q = Quantization.perTensor(0.25f, -3);

    @Test
    void refusesInt8InputsThatWouldNeedRescaling() {
        assertRefused(model(new int[] {2, 3}, new int[] {2, 1}, new int[] {2, 4}, 1, 0, Q,
                Quantization.perTensor(0.5f, -3), Q), BuiltinOperator.CONCATENATION, "inputs[1].quantization");
        assertRefused(model(new int[] {2, 3}, new int[] {2, 1}, new int[] {2, 4}, 1, 0, Q,
                Quantization.perTensor(0.25f, 0), Q), BuiltinOperator.CONCATENATION, "inputs[1].quantization");
    }

    @Test
    void refusesAFusedActivation() {
        assertRefused(model(new int[] {2, 3}, new int[] {2, 1}, new int[] {2, 4}, 1, 1, Q, Q, Q),
                BuiltinOperator.CONCATENATION, "fused_activation_function");
    }

    @Test
    void refusesAnAxisOutOfRange() {
        assertRefused(model(new int[] {2, 3}, new int[] {2, 1}, new int[] {2, 4}, 2, 0, Q, Q, Q),
                BuiltinOperator.CONCATENATION, "axis");
        assertRefused(model(new int[] {2, 3}, new int[] {2, 1}, new int[] {2, 4}, -3, 0, Q, Q, Q),
                BuiltinOperator.CONCATENATION, "axis");
    }

    @Test
    void refusesMismatchedShapes() {
        assertRefused(model(new int[] {2, 3}, new int[] {3, 1}, new int[] {2, 4}, 1, 0, Q, Q, Q),
                BuiltinOperator.CONCATENATION, "inputs[1]");
        assertRefused(model(new int[] {2, 3}, new int[] {2, 1}, new int[] {2, 5}, 1, 0, Q, Q, Q),
                BuiltinOperator.CONCATENATION, "output");
        assertRefused(model(new int[] {2, 3}, new int[] {2, 1, 1}, new int[] {2, 4}, 1, 0, Q, Q, Q),
                BuiltinOperator.CONCATENATION, "inputs[1]");
    }
}
