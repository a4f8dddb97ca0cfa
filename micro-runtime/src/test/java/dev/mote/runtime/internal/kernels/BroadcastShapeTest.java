package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.SingleOpModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.mote.runtime.testing.SingleOpModel.elementCount;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link BroadcastShape}: shapes, refusals, index walks, and 5-D / 6-D broadcasting ADD and SUB (beyond what the
 * TFLite oracle tests cover) checked against the same op on inputs the test tiles to the output shape itself.
 */
class BroadcastShapeTest {

    @Test
    void outputShapes() {
        assertArrayEquals(new int[] {2, 3}, BroadcastShape.of(new int[] {2, 3}, new int[] {3}, 4).outputShape());
        assertArrayEquals(new int[] {4, 2, 3}, BroadcastShape.of(new int[] {4, 1, 3}, new int[] {2, 1}, 4)
                .outputShape());
        assertArrayEquals(new int[] {5}, BroadcastShape.of(new int[] {}, new int[] {5}, 4).outputShape());
        assertThrows(IllegalArgumentException.class, () -> BroadcastShape.of(new int[] {2, 3}, new int[] {4}, 4));
        assertThrows(IllegalArgumentException.class,
                () -> BroadcastShape.of(new int[] {1, 1, 1, 1, 2}, new int[] {2}, 4));
    }

    @Test
    void visitsInputIndicesInRowMajorOrder() {
        BroadcastShape b = BroadcastShape.of(new int[] {2, 1}, new int[] {1, 3}, 4);
        List<String> visits = new ArrayList<>();
        b.forEachRun((o, x, xStep, y, yStep, length) -> {
            for (int i = 0; i < length; i++) {
                visits.add((o + i) + ":" + (x + i * xStep) + "," + (y + i * yStep));
            }
        });
        assertArrayEquals(new String[] {"0:0,0", "1:0,1", "2:0,2", "3:1,0", "4:1,1", "5:1,2"},
                visits.toArray(new String[0]));
    }

    /** {@code data} of {@code shape} repeated to {@code target} (right-aligned, dimensions of 1 repeated). */
    private static byte[] tile(byte[] data, int[] shape, int[] target) {
        int[] ext = new int[target.length];
        Arrays.fill(ext, 1);
        System.arraycopy(shape, 0, ext, target.length - shape.length, shape.length);
        byte[] out = new byte[elementCount(target)];
        int[] index = new int[target.length];
        for (int o = 0; o < out.length; o++) {
            int src = 0;
            for (int d = 0; d < target.length; d++) {
                src = src * ext[d] + (ext[d] == 1 ? 0 : index[d]);
            }
            out[o] = data[src];
            for (int d = target.length - 1; d >= 0 && ++index[d] == target[d]; d--) {
                index[d] = 0;
            }
        }
        return out;
    }

    @Test
    void fiveAndSixDimensionalAddAndSubEqualTheOpOnTiledInputs() {
        RandomCases r = new RandomCases(7001);
        for (int c = 0; c < 60; c++) {
            BuiltinOperator op = c % 2 == 0 ? BuiltinOperator.ADD : BuiltinOperator.SUB;
            BuiltinOptions options = op == BuiltinOperator.ADD ? new BuiltinOptions.Add(c % 4, false)
                    : new BuiltinOptions.Sub(c % 4, false);
            int rank = r.between(5, 6);
            int[] a = new int[rank];
            for (int d = 0; d < rank; d++) {
                a[d] = r.between(1, 4);
            }
            int[] b = a.clone();
            for (int d = 0; d < rank; d++) {
                if (r.nextBoolean()) {
                    b[d] = 1;
                }
            }
            b = Arrays.copyOfRange(b, r.between(0, 2), rank);
            int[] out = BroadcastShape.of(a, b, 6).outputShape();
            Quantization q1 = Quantization.perTensor(r.scale(0.01, 0.5), r.zeroPoint());
            Quantization q2 = Quantization.perTensor(r.scale(0.01, 0.5), r.zeroPoint());
            Quantization qo = Quantization.perTensor(r.scale(0.02, 1), r.zeroPoint());
            byte[] x = r.int8s(elementCount(a));
            byte[] y = r.int8s(elementCount(b));
            byte[] broadcast = new SingleOpModel(op, 2, options).input(TensorType.INT8, a, q1)
                    .input(TensorType.INT8, b, q2).output(TensorType.INT8, out, qo).runMote(x, y);
            byte[] tiled = new SingleOpModel(op, 2, options).input(TensorType.INT8, out, q1)
                    .input(TensorType.INT8, out, q2).output(TensorType.INT8, out, qo)
                    .runMote(tile(x, a, out), tile(y, b, out));
            assertArrayEquals(tiled, broadcast, op + " " + Arrays.toString(a) + " with " + Arrays.toString(b));
        }
    }
}
